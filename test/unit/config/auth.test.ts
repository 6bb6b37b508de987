// incomingAuth / outgoingAuth / authz (issue 6): runtime form, cross-field rules with path and
// line, files read relative to the config, and secrets that never surface.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadConfigFile, loadConfigText } from '../../../src/config/load.js';
import type { LoadResult } from '../../../src/config/load.js';
import { Secret } from '../../../src/config/secret.js';
import { Secret as AuthSecret } from '../../../src/auth/types.js';
import { assertIssue, dump, errorsOf, yaml } from './helpers.js';

const HASH = 'a'.repeat(64);
const STDIO = '  - {name: tool, transport: stdio, command: node}\n';
const HTTP = '  - {name: api, transport: streamable-http, url: https://api.example.com/mcp}\n';
const oidcBlock = yaml`
  incomingAuth:
    type: oidc
    oidc: {issuer: https://idp.example.com, audience: https://gw.example.com/mcp}
`;

function load(text: string, env: Record<string, string> = {}): LoadResult {
  return loadConfigText(text, { env });
}

async function withDir<T>(files: Record<string, string>, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'vmcp-auth-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), text);
    }
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('Secret is the one class, re-exported by auth/types', () => {
  assert.equal(AuthSecret, Secret);
  const s = new Secret('hunter2');
  assert.equal(`${s}`, '***');
  assert.equal(JSON.stringify({ s }), '{"s":"***"}');
  assert.equal(inspect(s), 'Secret(***)');
  assert.equal(s.reveal(), 'hunter2');
});

test('defaults: anonymous on loopback, every backend unauthenticated, no authz', () => {
  const { config, issues } = load(`name: x\nbackends:\n${STDIO}${HTTP}`);
  assert.ok(config, dump(issues));
  assert.deepEqual(config.incomingAuth, { type: 'anonymous', allowRemoteAnonymous: false, apiKeys: [] });
  assert.deepEqual(config.outgoingAuth, { tool: { type: 'unauthenticated' }, api: { type: 'unauthenticated' } });
  assert.equal(config.authz, undefined);
});

test('anonymous on a non-loopback host is an error unless allowRemoteAnonymous (then a warning)', () => {
  const text = `name: x\nbackends:\n${STDIO}server:\n  host: 0.0.0.0\n`;
  const denied = load(text);
  assertIssue(denied.issues, {
    path: 'server.host',
    line: 5,
    message: 'set incomingAuth.type: oidc, or incomingAuth.allowRemoteAnonymous: true',
  });
  assert.equal(denied.config, undefined);
  const allowed = load(`${text}incomingAuth:\n  allowRemoteAnonymous: true\n`);
  assert.deepEqual(errorsOf(allowed.issues), []);
  assertIssue(allowed.issues, { path: 'server.host', line: 5, severity: 'warning', message: 'non-loopback' });
  assert.equal(allowed.config?.incomingAuth.allowRemoteAnonymous, true);
  const oidc = load(`${text}${oidcBlock}`);
  assert.deepEqual(oidc.issues, [], dump(oidc.issues));
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) {
    assert.deepEqual(load(`name: x\nbackends:\n${STDIO}server:\n  host: "${host}"\n`).issues, [], host);
  }
});

test('oidc: runtime form with defaults (resource = audience, clockSkew 30s, api key scopes = required)', () => {
  const { config, issues } = load(yaml`
    name: x
    backends: []
    incomingAuth:
      type: oidc
      oidc:
        issuer: http://127.0.0.1:9999
        audience: http://127.0.0.1:4483/mcp
        scopes: [mcp:tools, mcp:tools]
      apiKeys:
        - {name: ci, sha256: ${HASH.toUpperCase()}}
  `);
  assert.ok(config, dump(issues));
  assert.deepEqual(config.incomingAuth, {
    type: 'oidc',
    allowRemoteAnonymous: false,
    issuer: 'http://127.0.0.1:9999',
    audience: 'http://127.0.0.1:4483/mcp',
    resource: 'http://127.0.0.1:4483/mcp',
    scopes: ['mcp:tools'],
    clockSkewMs: 30_000,
    insecureAllowHttp: false,
    apiKeys: [{ name: 'ci', sha256: HASH, scopes: ['mcp:tools'] }],
  });
});

const incomingErrors: { name: string; text: string; expect: Parameters<typeof assertIssue>[1] }[] = [
  {
    name: 'type oidc without the oidc block',
    text: 'name: x\nbackends: []\nincomingAuth:\n  type: oidc\n',
    expect: { path: 'incomingAuth.type', line: 4, message: 'needs an incomingAuth.oidc block' },
  },
  {
    name: 'an oidc block under anonymous',
    text: 'name: x\nbackends: []\nincomingAuth:\n  oidc: {issuer: https://i.example.com, audience: https://g.example.com/mcp}\n',
    expect: { path: 'incomingAuth.oidc', line: 4, message: 'add type: oidc' },
  },
  {
    name: 'missing audience',
    text: 'name: x\nbackends: []\nincomingAuth:\n  type: oidc\n  oidc: {issuer: https://i.example.com}\n',
    expect: { path: 'incomingAuth.oidc.audience', line: 5, message: 'missing required key "audience"' },
  },
  {
    name: 'http issuer on a remote host',
    text: 'name: x\nbackends: []\nincomingAuth:\n  type: oidc\n  oidc:\n    issuer: http://idp.example.com\n    audience: https://g.example.com/mcp\n',
    expect: { path: 'incomingAuth.oidc.issuer', line: 6, message: 'must be https://' },
  },
  {
    name: 'http jwksUrl on a remote host',
    text: 'name: x\nbackends: []\nincomingAuth:\n  type: oidc\n  oidc:\n    issuer: https://i.example.com\n    audience: https://g.example.com/mcp\n    jwksUrl: http://keys.example.com/jwks\n',
    expect: { path: 'incomingAuth.oidc.jwksUrl', line: 8, message: 'must be https://' },
  },
  {
    name: 'audience with a fragment',
    text: 'name: x\nbackends: []\nincomingAuth:\n  type: oidc\n  oidc:\n    issuer: https://i.example.com\n    audience: https://g.example.com/mcp#x\n',
    expect: { path: 'incomingAuth.oidc.audience', line: 7, message: 'must not have a fragment' },
  },
  {
    name: 'clockSkew beyond a timer',
    text: 'name: x\nbackends: []\nincomingAuth:\n  type: oidc\n  oidc:\n    issuer: https://i.example.com\n    audience: https://g.example.com/mcp\n    clockSkew: 900h\n',
    expect: { path: 'incomingAuth.oidc.clockSkew', line: 8, message: 'at most 596h' },
  },
  {
    name: 'an API key written in clear instead of its hash',
    text: 'name: x\nbackends: []\nincomingAuth:\n  apiKeys:\n    - {name: ci, sha256: sk-live-0123456789}\n',
    expect: { path: 'incomingAuth.apiKeys[0].sha256', line: 5, message: 'never the key itself' },
  },
  {
    name: 'duplicate API key names',
    text: `name: x\nbackends: []\nincomingAuth:\n  apiKeys:\n    - {name: ci, sha256: ${HASH}}\n    - {name: ci, sha256: ${'b'.repeat(64)}}\n`,
    expect: { path: 'incomingAuth.apiKeys[1].name', line: 6, message: 'duplicate API key name "ci"' },
  },
  {
    name: 'cedar without any policy',
    text: 'name: x\nbackends: []\nincomingAuth:\n  authz: {type: cedar}\n',
    expect: { path: 'incomingAuth.authz', line: 4, message: 'needs at least one policy' },
  },
  {
    name: 'entitiesJson that is not a JSON list',
    text: 'name: x\nbackends: []\nincomingAuth:\n  authz: {type: cedar, policies: [x], entitiesJson: "{"}\n',
    expect: { path: 'incomingAuth.authz.entitiesJson', line: 4, message: 'must be valid JSON' },
  },
];

for (const c of incomingErrors) {
  test(`incomingAuth error: ${c.name}`, () => {
    const result = load(c.text);
    assertIssue(result.issues, c.expect);
    assert.equal(result.config, undefined);
  });
}

test('an API key in clear never appears in the issue', () => {
  const { issues } = load('name: x\nbackends: []\nincomingAuth:\n  apiKeys:\n    - {name: ci, sha256: sk-live-0123456789}\n');
  assert.ok(!JSON.stringify(issues).includes('sk-live'), JSON.stringify(issues));
});

test('insecureAllowHttp allows an http issuer, with a warning', () => {
  const { config, issues } = load(
    'name: x\nbackends: []\nincomingAuth:\n  type: oidc\n  oidc:\n    issuer: http://idp.test\n    audience: http://gw.test/mcp\n    insecureAllowHttp: true\n',
  );
  assert.ok(config, dump(issues));
  assertIssue(issues, { path: 'incomingAuth.oidc.insecureAllowHttp', line: 8, severity: 'warning', message: 'testing only' });
});

test('authz: policy files are read relative to the config file, inline policies kept in order', async () => {
  await withDir(
    {
      'vmcp.yaml':
        'name: x\nbackends: []\nincomingAuth:\n  authz:\n    type: cedar\n    policyFiles: [policies/a.cedar]\n    policies: ["forbid(principal, action, resource);"]\n    entitiesJson: "[]"\n',
      'policies/a.cedar': 'permit(principal, action, resource);\n',
    },
    async (dir) => {
      const { config, issues } = await loadConfigFile(join(dir, 'vmcp.yaml'), {});
      assert.ok(config, dump(issues));
      assert.deepEqual(config.authz, {
        type: 'cedar',
        entitiesJson: '[]',
        policies: [
          { id: 'policies/a.cedar', text: 'permit(principal, action, resource);\n', source: join(dir, 'policies/a.cedar') },
          {
            id: 'policies[0]',
            text: 'forbid(principal, action, resource);',
            source: `${join(dir, 'vmcp.yaml')}#incomingAuth.authz.policies[0]`,
          },
        ],
      });
    },
  );
});

test('authz: a missing policy file is an error naming the file, at its line', async () => {
  await withDir(
    { 'vmcp.yaml': 'name: x\nbackends: []\nincomingAuth:\n  authz:\n    type: cedar\n    policyFiles:\n      - policies/missing.cedar\n' },
    async (dir) => {
      const { config, issues } = await loadConfigFile(join(dir, 'vmcp.yaml'), {});
      assert.equal(config, undefined);
      assertIssue(issues, {
        path: 'incomingAuth.authz.policyFiles[0]',
        line: 7,
        message: `cannot read policy file ${join(dir, 'policies/missing.cedar')}: ENOENT`,
      });
    },
  );
});
