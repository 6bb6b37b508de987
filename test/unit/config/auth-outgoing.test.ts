// outgoingAuth (issue 6 §2): strategies per backend, the default applied to every backend,
// stdio limits, secrets from env vars and files — and secrets that never surface anywhere.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { loadConfigFile, loadConfigText } from '../../../src/config/load.js';
import type { LoadResult } from '../../../src/config/load.js';
import type { HeaderInjectionOutgoing } from '../../../src/config/types.js';
import { runValidate } from '../../../src/cli/validate.js';
import { assertIssue, dump, errorsOf } from './helpers.js';

const SENTINEL = 'sentinel-0ut-s3cr3t-91ab';
const BACKENDS = yaml2(`
backends:
  - {name: tool, transport: stdio, command: node, env: {TAKEN: x}}
  - {name: api, transport: streamable-http, url: https://api.example.com/mcp, headers: {X-Taken: x}}
`);
const OIDC = 'incomingAuth:\n  type: oidc\n  oidc: {issuer: https://idp.example.com, audience: https://gw.example.com/mcp}\n';

function yaml2(text: string): string {
  return text.replace(/^\n/, '');
}

/** name + backends (lines 1-4) + oidc (5-7) + outgoingAuth from line 8. */
function config(outgoing: string): string {
  return `name: x\n${BACKENDS}${OIDC}outgoingAuth:\n${outgoing}`;
}

function load(text: string, env: Record<string, string> = {}): LoadResult {
  return loadConfigText(text, { env });
}

test('the default applies to every backend without its own entry; secrets become Secrets', () => {
  const { config: c, issues } = load(
    config(
      yaml2(`
  default:
    type: header_injection
    headerInjection: {headerName: X-Key, envName: KEY, headerValueEnv: MY_KEY}
  backends:
    tool: {type: unauthenticated}
`),
    ),
    { MY_KEY: SENTINEL },
  );
  assert.ok(c, dump(issues));
  assert.deepEqual(c.outgoingAuth.tool, { type: 'unauthenticated' });
  const api = c.outgoingAuth.api as HeaderInjectionOutgoing;
  assert.equal(api.type, 'header_injection');
  assert.equal(api.headerName, 'X-Key');
  assert.equal(api.value.reveal(), SENTINEL);
  assert.deepEqual(api.valueFrom, { env: 'MY_KEY' });
});

test('every strategy normalizes (token_exchange URN, token_passthrough header default)', () => {
  const { config: c, issues } = load(
    config(
      yaml2(`
  backends:
    tool: {type: header_injection, headerInjection: {envName: GITHUB_TOKEN, headerValueEnv: GH}}
    api:
      type: token_exchange
      tokenExchange: {tokenUrl: https://idp.example.com/token, clientId: gw, clientSecretEnv: CS, scopes: [a]}
`),
    ),
    { GH: 'gh-value', CS: 'cs-value' },
  );
  assert.ok(c, dump(issues));
  assert.equal(
    JSON.stringify(c.outgoingAuth.tool),
    '{"type":"header_injection","envName":"GITHUB_TOKEN","value":"***","valueFrom":{"env":"GH"}}',
  );
  assert.equal(
    JSON.stringify(c.outgoingAuth.api),
    JSON.stringify({
      type: 'token_exchange',
      tokenUrl: 'https://idp.example.com/token',
      clientId: 'gw',
      clientSecret: '***',
      scopes: ['a'],
      subjectTokenType: 'urn:ietf:params:oauth:token-type:access_token',
    }),
  );
  const forwarded = load(config('  backends:\n    api: {type: token_passthrough}\n'));
  assert.deepEqual(forwarded.config?.outgoingAuth.api, { type: 'token_passthrough', headerName: 'Authorization' });
  assertIssue(forwarded.issues, {
    path: 'outgoingAuth.backends.api',
    line: 10,
    severity: 'warning',
    message: 'forbids token pass-through',
  });
});

const errors: { name: string; outgoing: string; env?: Record<string, string>; expect: Parameters<typeof assertIssue>[1] }[] = [
  {
    name: 'unknown backend',
    outgoing: '  backends:\n    ghost: {type: unauthenticated}\n',
    expect: { path: 'outgoingAuth.backends.ghost', line: 10, message: 'no backend is named "ghost"' },
  },
  {
    name: 'unknown type',
    outgoing: '  default: {type: aws_sts}\n',
    expect: { path: 'outgoingAuth.default.type', line: 9, message: 'must be one of' },
  },
  {
    name: 'inline secret (ToolHive headerValue)',
    outgoing: '  backends:\n    api: {type: header_injection, headerInjection: {headerName: X, headerValue: abc}}\n',
    expect: { path: 'outgoingAuth.backends.api.headerInjection.headerValue', line: 10, message: 'unknown key "headerValue"' },
  },
  {
    name: 'header value from both env and file',
    outgoing: '  backends:\n    api: {type: header_injection, headerInjection: {headerName: X, headerValueEnv: A, headerValueFile: f}}\n',
    env: { A: 'a' },
    expect: { path: 'outgoingAuth.backends.api.headerInjection', line: 10, message: 'not both' },
  },
  {
    name: 'header value from neither',
    outgoing: '  backends:\n    api: {type: header_injection, headerInjection: {headerName: X}}\n',
    expect: { path: 'outgoingAuth.backends.api.headerInjection', line: 10, message: 'needs headerValueEnv or headerValueFile' },
  },
  {
    name: 'unset env var',
    outgoing:
      '  backends:\n    api:\n      type: header_injection\n      headerInjection:\n        headerName: X\n        headerValueEnv: NOT_SET\n',
    expect: {
      path: 'outgoingAuth.backends.api.headerInjection.headerValueEnv',
      line: 14,
      message: 'environment variable "NOT_SET" is not set',
    },
  },
  {
    name: 'empty env var',
    outgoing: '  backends:\n    api: {type: header_injection, headerInjection: {headerName: X, headerValueEnv: E}}\n',
    env: { E: '' },
    expect: { path: 'outgoingAuth.backends.api.headerInjection.headerValueEnv', line: 10, message: 'set but empty' },
  },
  {
    name: 'header value with a line break',
    outgoing: '  backends:\n    api: {type: header_injection, headerInjection: {headerName: X, headerValueEnv: E}}\n',
    env: { E: `${SENTINEL}\r\nX-Evil: 1` },
    expect: { path: 'outgoingAuth.backends.api.headerInjection.headerValueEnv', line: 10, message: 'contains a line break' },
  },
  {
    name: 'managed header',
    outgoing: '  backends:\n    api: {type: header_injection, headerInjection: {headerName: Host, headerValueEnv: E}}\n',
    env: { E: 'e' },
    expect: { path: 'outgoingAuth.backends.api.headerInjection.headerName', line: 10, message: 'managed by the transport' },
  },
  {
    name: 'header also in backend headers',
    outgoing: '  backends:\n    api: {type: header_injection, headerInjection: {headerName: x-taken, headerValueEnv: E}}\n',
    env: { E: 'e' },
    expect: { path: 'outgoingAuth.backends.api', line: 10, message: 'also set in backends[1].headers' },
  },
  {
    name: 'http backend without headerName',
    outgoing: '  backends:\n    api: {type: header_injection, headerInjection: {envName: K, headerValueEnv: E}}\n',
    env: { E: 'e' },
    expect: { path: 'outgoingAuth.backends.api', line: 10, message: 'set headerInjection.headerName' },
  },
  {
    name: 'stdio with token_exchange',
    outgoing: '  backends:\n    tool: {type: token_exchange, tokenExchange: {tokenUrl: https://i.example.com/t}}\n',
    expect: { path: 'outgoingAuth.backends.tool', line: 10, message: 'stdio backends support only unauthenticated and header_injection' },
  },
  {
    name: 'stdio with header_injection but no envName',
    outgoing: '  backends:\n    tool: {type: header_injection, headerInjection: {headerName: X, headerValueEnv: E}}\n',
    env: { E: 'e' },
    expect: { path: 'outgoingAuth.backends.tool', line: 10, message: 'set headerInjection.envName' },
  },
  {
    name: 'stdio envName already in env',
    outgoing: '  backends:\n    tool: {type: header_injection, headerInjection: {envName: TAKEN, headerValueEnv: E}}\n',
    env: { E: 'e' },
    expect: { path: 'outgoingAuth.backends.tool', line: 10, message: 'also set in backends[0].env' },
  },
  {
    name: 'a default that cannot apply to a stdio backend',
    outgoing:
      '  default: {type: client_credentials, clientCredentials: {tokenUrl: https://i.example.com/t, clientId: c, clientSecretEnv: E}}\n',
    env: { E: 'e' },
    expect: { path: 'outgoingAuth.default', line: 9, message: 'outgoingAuth.default (client_credentials) applies to backend "tool"' },
  },
  {
    name: 'client_credentials without a secret',
    outgoing: '  backends:\n    api: {type: client_credentials, clientCredentials: {tokenUrl: https://i.example.com/t, clientId: c}}\n',
    expect: { path: 'outgoingAuth.backends.api.clientCredentials', line: 10, message: 'needs clientSecretEnv or clientSecretFile' },
  },
  {
    name: 'missing secret file',
    outgoing:
      '  backends:\n    api: {type: client_credentials, clientCredentials: {tokenUrl: https://i.example.com/t, clientId: c, clientSecretFile: /nonexistent/cs.txt}}\n',
    expect: {
      path: 'outgoingAuth.backends.api.clientCredentials.clientSecretFile',
      line: 10,
      message: 'cannot read secret file /nonexistent/cs.txt: ENOENT',
    },
  },
];

for (const c of errors) {
  test(`outgoingAuth error: ${c.name}`, () => {
    const result = load(config(c.outgoing), c.env ?? {});
    assertIssue(result.issues, c.expect);
    assert.equal(result.config, undefined);
  });
}

test('token_exchange and token_passthrough need oidc incoming auth (there is no caller token otherwise)', () => {
  const text = `name: x\n${BACKENDS}outgoingAuth:\n  backends:\n    api: {type: token_passthrough}\n`;
  assertIssue(load(text).issues, { path: 'outgoingAuth.backends.api.type', line: 7, message: 'needs incomingAuth.type: oidc' });
});

test('secret files: relative to the config, one trailing newline dropped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vmcp-out-'));
  try {
    await writeFile(join(dir, 'key.txt'), `${SENTINEL}\n`);
    await writeFile(
      join(dir, 'vmcp.yaml'),
      config('  backends:\n    api: {type: header_injection, headerInjection: {headerName: X, headerValueFile: key.txt}}\n'),
    );
    const { config: c, issues } = await loadConfigFile(join(dir, 'vmcp.yaml'), {});
    assert.ok(c, dump(issues));
    const api = c.outgoingAuth.api as HeaderInjectionOutgoing;
    assert.equal(api.value.reveal(), SENTINEL);
    assert.deepEqual(api.valueFrom, { file: join(dir, 'key.txt') });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a secret never appears in any issue, in JSON.stringify(runtimeConfig) or in util.inspect', async () => {
  const good = config(
    yaml2(`
  default: {type: header_injection, headerInjection: {headerName: X-Key, envName: KEY, headerValueEnv: S}}
  backends:
    api: {type: client_credentials, clientCredentials: {tokenUrl: https://i.example.com/t, clientId: c, clientSecretEnv: S}}
`),
  );
  const ok = load(good, { S: SENTINEL });
  assert.ok(ok.config, dump(ok.issues));
  for (const text of [
    JSON.stringify(ok.config),
    inspect(ok.config, { depth: 10 }),
    String(ok.config.outgoingAuth.tool && (ok.config.outgoingAuth.tool as HeaderInjectionOutgoing).value),
  ]) {
    assert.ok(!text.includes(SENTINEL), text);
  }
  // A broken file whose problems sit on the secret-carrying keys.
  const bad = `${good}    tool: {type: header_injection, headerInjection: {envName: KEY, headerValueEnv: BAD}}\n  colour: red\n`;
  const env = { S: SENTINEL, BAD: `${SENTINEL}\nX: 1` };
  const broken = load(bad, env);
  assert.ok(errorsOf(broken.issues).length >= 2, dump(broken.issues));
  assert.ok(!JSON.stringify(broken.issues).includes(SENTINEL), dump(broken.issues));
  let out = '';
  const sink = { write: (s: string) => (out += s) };
  const dir = await mkdtemp(join(tmpdir(), 'vmcp-out-'));
  try {
    await writeFile(join(dir, 'vmcp.yaml'), bad);
    for (const args of [[], ['--json']]) {
      assert.equal(await runValidate([...args, join(dir, 'vmcp.yaml')], { stdout: sink, stderr: sink, env }), 2);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assert.match(out, /headerValueEnv/);
  assert.ok(!out.includes(SENTINEL), out);
});
