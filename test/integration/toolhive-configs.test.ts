// ToolHive configs run unchanged: every fixture under test/fixtures/toolhive (the shapes of
// ToolHive's CLI example, `thv vmcp init` output and the operator examples' spec.config) passes
// `vmcp validate` with a warning for each key vmcp cannot act on, and serves its static backends.
// The CLI example's OIDC block (clientId + clientSecretEnv, audience "vmcp") is served against a
// real oidc-provider: opaque tokens are checked by RFC 7662 introspection, JWTs by the JWKS.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { runValidate } from '../../src/cli/validate.js';
import { connectClient, FIXTURES, ROOT, spawnFixture, startGateway } from '../helpers/gateway.js';
import type { Fixture } from '../helpers/gateway.js';
import { startOidc } from '../helpers/oidc.js';
import type { OidcServer } from '../helpers/oidc.js';

const DIR = `${ROOT}test/fixtures/toolhive`;
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const ISSUER_IN_FIXTURE = 'https://keycloak.example.com/realms/myrealm';
const TOOLS = ['create_pr', 'merge_pr', 'list_issues', 'create_issue', 'echo'];
const SPEC = JSON.stringify({ tools: TOOLS.map((name) => ({ name })) });

let http: Fixture;
let sse: Fixture;
let idp: OidcServer;
let env: Record<string, string | undefined>;

before(async () => {
  // One at a time, so after() closes whatever started even when a later start fails.
  http = await spawnFixture(`${FIXTURES}/named.mjs`, ['--transport', 'streamable-http', '--port', '0', '--name', 'http'], {
    NAMED_SPEC: SPEC,
  });
  sse = await spawnFixture(`${FIXTURES}/named.mjs`, ['--transport', 'sse', '--port', '0', '--name', 'sse'], { NAMED_SPEC: SPEC });
  // The CLI example requires these scopes of every token.
  idp = await startOidc({ scopes: ['openid', 'profile', 'email'] });
  env = {
    ...process.env,
    HTTP_URL: http.url,
    SSE_URL: sse.url,
    GITHUB_URL: http.url,
    JIRA_URL: sse.url,
    GITHUB_API_TOKEN: 'gh-token-for-tests',
    VMCP_CLIENT_SECRET: idp.client.secret,
  };
});
after(async () => {
  await Promise.all([http?.close(), sse?.close(), idp?.close()]);
});

/** The fixture as the gateway sees it: the IdP is the local one, the listener on a free port. */
function fixtureConfig(file: string): Record<string, unknown> {
  const text = readFileSync(`${DIR}/${file}`, 'utf8').replaceAll(ISSUER_IN_FIXTURE, idp.issuer);
  const config = parse(text) as Record<string, unknown>;
  const auth = config['incomingAuth'] as { oidc?: Record<string, unknown> } | undefined;
  if (auth?.oidc) auth.oidc['clientId'] = idp.client.id;
  return config;
}

async function validate(file: string): Promise<{ code: number; out: string }> {
  let out = '';
  const io = { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (out += c) }, env, cwd: ROOT };
  const code = await runValidate(['--json', `${DIR}/${file}`], io);
  return { code, out };
}

describe('ToolHive fixtures', () => {
  test('there are fixtures for the CLI example, thv vmcp init and the operator examples', () => {
    assert.ok(FILES.includes('cli-example.yaml') && FILES.includes('init.yaml'));
    assert.ok(FILES.filter((f) => f.startsWith('operator-')).length >= 13);
  });

  for (const file of FILES) {
    test(`${file}: vmcp validate accepts it and warns that groupRef is not discovered`, async () => {
      const { code, out } = await validate(file);
      const report = JSON.parse(out) as { issues: { path: string; severity: string; message: string }[] };
      assert.equal(code, 0, out);
      assert.ok(
        report.issues.some((i) => i.path === 'groupRef' && i.severity === 'warning'),
        out,
      );
      const failMode = readFileSync(`${DIR}/${file}`, 'utf8').includes('partialFailureMode: fail');
      assert.equal(
        report.issues.some((i) => i.path === 'operational.failureHandling.partialFailureMode'),
        failMode,
      );
    });

    test(`${file}: serves the tools of its static backends`, async () => {
      const config = fixtureConfig(file);
      await using gw = await startGateway(config, env);
      const headers =
        file === 'cli-example.yaml'
          ? { authorization: `Bearer ${await idp.opaqueToken({ audience: 'vmcp', scope: 'openid profile email' })}` }
          : undefined;
      await using client = await connectClient(gw.url, headers ? { headers } : {});
      const { tools } = await client.listTools();
      assert.ok(tools.length > 0, `${file}: no tools`);
      const names = tools.map((t) => t.name);
      if (config['optimizer'] !== undefined) {
        // The optimizer advertises its two meta-tools; keyword search still finds the backends' tools
        // (the fixture's embedding service is unreachable, so hybrid ranking degrades to keywords).
        assert.ok(names.includes('find_tool') && names.includes('call_tool'), names.join(', '));
        const found = JSON.stringify(await client.callTool({ name: 'find_tool', arguments: { tool_description: TOOLS.join(' ') } }));
        assert.ok(
          TOOLS.some((name) => found.includes(name)),
          found.slice(0, 500),
        );
        return;
      }
      const backendTools = tools.filter((t) => TOOLS.some((name) => t.name.endsWith(name)));
      assert.ok(backendTools.length > 0, names.join(', '));
    });
  }
});
