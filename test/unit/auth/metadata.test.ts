// RFC 9728 metadata: document shape, URL construction and the paths served (slashes included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMetadataPath, metadataPaths, metadataUrl, protectedResourceMetadata } from '../../../src/auth/incoming/metadata.js';
import type { OidcIncomingAuth } from '../../../src/config/types.js';

const auth = (over: Partial<OidcIncomingAuth> = {}): OidcIncomingAuth => ({
  type: 'oidc',
  allowRemoteAnonymous: false,
  issuer: 'https://idp.example.com',
  audience: 'https://gw.example.com/mcp',
  resource: 'https://gw.example.com/mcp',
  scopes: ['mcp:tools'],
  clockSkewMs: 30_000,
  insecureAllowHttp: false,
  apiKeys: [],
  ...over,
});

test('the document: resource as configured, the issuer as authorization server, scopes, header bearer', () => {
  assert.deepEqual(protectedResourceMetadata(auth(), 'my-gateway'), {
    resource: 'https://gw.example.com/mcp',
    authorization_servers: ['https://idp.example.com'],
    scopes_supported: ['mcp:tools'],
    bearer_methods_supported: ['header'],
    resource_name: 'my-gateway',
  });
  // A bare origin stays a bare origin: no slash is added (metamcp#102).
  assert.equal(protectedResourceMetadata(auth({ resource: 'https://gw.example.com' }), 'g').resource, 'https://gw.example.com');
  assert.equal('scopes_supported' in protectedResourceMetadata(auth({ scopes: [] }), 'g'), false);
});

test('metadata URL: the well-known string goes between host and path (RFC 9728 §3.1)', () => {
  const cases: [string, string][] = [
    ['https://gw.example.com/mcp', 'https://gw.example.com/.well-known/oauth-protected-resource/mcp'],
    ['https://gw.example.com/mcp/', 'https://gw.example.com/.well-known/oauth-protected-resource/mcp'],
    ['https://gw.example.com', 'https://gw.example.com/.well-known/oauth-protected-resource'],
    ['https://gw.example.com/', 'https://gw.example.com/.well-known/oauth-protected-resource'],
    ['http://127.0.0.1:4483/mcp', 'http://127.0.0.1:4483/.well-known/oauth-protected-resource/mcp'],
    ['https://gw.example.com/tenants/a/mcp', 'https://gw.example.com/.well-known/oauth-protected-resource/tenants/a/mcp'],
  ];
  for (const [resource, url] of cases) assert.equal(metadataUrl(resource), url, resource);
});

test('served paths: path-suffixed and root; a trailing slash and a query are tolerated', () => {
  const resource = 'http://127.0.0.1:4483/mcp';
  assert.deepEqual(metadataPaths(resource), ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']);
  assert.deepEqual(metadataPaths('https://gw.example.com/'), ['/.well-known/oauth-protected-resource']);
  for (const path of [
    '/.well-known/oauth-protected-resource',
    '/.well-known/oauth-protected-resource/',
    '/.well-known/oauth-protected-resource/mcp',
    '/.well-known/oauth-protected-resource/mcp/',
    '/.well-known/oauth-protected-resource/mcp?x=1',
  ]) {
    assert.ok(isMetadataPath(resource, path), path);
  }
  for (const path of ['/.well-known/oauth-protected-resource/other', '/mcp', '/', '/.well-known/oauth-protected-resourcex']) {
    assert.ok(!isMetadataPath(resource, path), path);
  }
});
