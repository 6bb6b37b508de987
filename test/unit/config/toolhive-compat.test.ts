// The ToolHive keys vmcp accepts (schema-toolhive.ts): what each is checked for, what it means
// here, and that each one vmcp cannot act on says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { userInfo } from 'node:os';
import { loadConfigText } from '../../../src/config/load.js';
import { createAuthenticator } from '../../../src/auth/incoming/authenticator.js';

const BACKEND = 'backends:\n  - {name: api, transport: streamable-http, url: http://127.0.0.1:9/mcp}\n';
const OIDC = 'incomingAuth:\n  type: oidc\n  oidc: {issuer: https://idp.example.com, audience: https://gw.example.com/mcp}\n';

function issues(text: string, env: Record<string, string> = {}) {
  return loadConfigText(text, { env }).issues.map((i) => `${i.severity} ${i.path}: ${i.message}`);
}

test('groupRef: a warning with static backends, an error naming groupRef without them', () => {
  assert.ok(issues(`name: x\ngroupRef: team\n${BACKEND}`).some((i) => i.startsWith('warning groupRef: group "team" is not discovered')));
  for (const tail of ['', 'backends: []\n']) {
    const found = issues(`name: x\ngroupRef: team\n${tail}`);
    assert.ok(
      found.some((i) => i.startsWith('error groupRef: vmcp does not discover the members of group "team"')),
      found.join('\n'),
    );
  }
  assert.ok(issues('name: x\n').some((i) => i.startsWith('error : backends is required')));
});

test('metadata, backends[].metadata and outgoingAuth.source: inline are accepted silently; discovered warns', () => {
  const base = `name: x\nmetadata: {team: a}\nbackends:\n  - {name: api, transport: sse, url: http://127.0.0.1:9/sse, metadata: {tier: b}}\n`;
  assert.deepEqual(issues(`${base}outgoingAuth: {source: inline}\n`), []);
  assert.ok(issues(`${base}outgoingAuth: {source: discovered}\n`).some((i) => i.startsWith('warning outgoingAuth.source: vmcp has no')));
  assert.ok(issues(`${base}outgoingAuth: {source: elsewhere}\n`).some((i) => i.startsWith('error outgoingAuth.source')));
});

test('partialFailureMode: best_effort is what vmcp does; fail warns; anything else is an error', () => {
  const at = (mode: string) => issues(`name: x\n${BACKEND}operational:\n  failureHandling: {partialFailureMode: ${mode}}\n`);
  assert.deepEqual(at('best_effort'), []);
  assert.ok(at('fail').some((i) => i.startsWith('warning operational.failureHandling.partialFailureMode')));
  assert.ok(at('bestEffort').some((i) => i.startsWith('error operational.failureHandling.partialFailureMode')));
});

test('telemetry and audit are real sections now; compositeToolRefs is ignored with a warning; typos are errors', () => {
  const found = issues(`name: x\n${BACKEND}telemetry: {endpoint: x}\naudit: {component: c}\ncompositeToolRefs: [{name: w}]\n`);
  assert.ok(
    found.some((i) => i.startsWith('warning compositeToolRefs: ignored')),
    found.join('\n'),
  );
  assert.ok(!found.some((i) => /^(warning|error) (telemetry|audit)\b/.test(i)), found.join('\n'));
  assert.ok(issues(`name: x\n${BACKEND}telemetry: {endpont: x}\n`).some((i) => i.startsWith('error telemetry')));
});

test('upstream_inject: a deprecated alias of token_passthrough; ToolHive providerName gets a targeted error', () => {
  const out = (strategy: string) => `name: x\n${BACKEND}${OIDC}outgoingAuth:\n  default: ${strategy}\n`;
  const old = loadConfigText(out('{type: upstream_inject, upstreamInject: {headerName: X-User-Token}}'));
  assert.deepEqual(old.config?.outgoingAuth['api'], { type: 'token_passthrough', headerName: 'X-User-Token' });
  assert.ok(old.issues.some((i) => i.severity === 'warning' && i.message.includes('deprecated in vmcp: write type: token_passthrough')));
  const now = loadConfigText(out('{type: token_passthrough}'));
  assert.deepEqual(now.config?.outgoingAuth['api'], { type: 'token_passthrough', headerName: 'Authorization' });
  const toolhive = issues(out('{type: upstream_inject, upstreamInject: {providerName: github}}'));
  const hit = toolhive.find((i) => i.startsWith('error outgoingAuth.default.upstreamInject.providerName'));
  assert.ok(hit?.includes('no embedded authorization server') && hit.includes('token_exchange'), toolhive.join('\n'));
});

test('oidc: a non-URL audience needs resource; clientId + clientSecretEnv turn on introspection', () => {
  const oidc = (extra: string) => `name: x\n${BACKEND}incomingAuth:\n  type: oidc\n  oidc: {issuer: https://idp.example.com, ${extra}}\n`;
  assert.ok(issues(oidc('audience: vmcp')).some((i) => i.startsWith('error incomingAuth.oidc.resource: required when audience')));
  const full = oidc('audience: vmcp, resource: https://gw.example.com/mcp, clientId: gw, clientSecretEnv: GW_SECRET');
  const loaded = loadConfigText(full, { env: { GW_SECRET: 's3cret-value' } });
  const auth = loaded.config?.incomingAuth;
  assert.equal(auth?.type, 'oidc');
  assert.equal(auth.type === 'oidc' ? auth.introspection?.clientId : undefined, 'gw');
  assert.ok(!JSON.stringify(loaded.config).includes('s3cret-value'));
  assert.ok(issues(full).some((i) => i.startsWith('error incomingAuth.oidc.clientSecretEnv: environment variable "GW_SECRET" is not set')));
  const noSecret = issues(oidc('audience: https://gw.example.com/mcp, clientId: gw'));
  assert.ok(noSecret.some((i) => i.startsWith('warning incomingAuth.oidc.clientId: no clientSecretEnv')));
  assert.ok(issues(oidc('audience: https://g.example.com/mcp, clientSecretEnv: S')).some((i) => i.includes('clientId: required')));
});

test('incomingAuth.type local: every request is the OS user; loopback only', async () => {
  const loaded = loadConfigText(`name: x\n${BACKEND}incomingAuth: {type: local}\n`);
  assert.ok(loaded.config, loaded.issues.map((i) => i.message).join('\n'));
  const auth = createAuthenticator(loaded.config);
  const outcome = await auth.authenticate({});
  assert.ok(outcome.ok);
  assert.equal(outcome.principal.kind, 'local');
  assert.equal(outcome.principal.subject, userInfo().username);
  const remote = issues(`name: x\nserver: {host: 0.0.0.0}\n${BACKEND}incomingAuth: {type: local}\n`);
  assert.ok(
    remote.some((i) => i.startsWith('error server.host: incomingAuth.type "local"')),
    remote.join('\n'),
  );
});
