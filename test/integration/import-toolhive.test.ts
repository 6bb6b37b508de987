// `vmcp import-toolhive` on ToolHive operator manifests (test/fixtures/toolhive/manifests: copies of
// ToolHive's examples/operator/virtual-mcps and one whose members are reachable from here): the
// output passes `vmcp validate`, says in comments what it dropped or approximated, and serves.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import { connectClient, FIXTURES, ROOT, spawnFixture, startGateway } from '../helpers/gateway.js';

const DIR = `${ROOT}test/fixtures/toolhive/manifests`;
let tmp: string;
before(() => (tmp = mkdtempSync(join(tmpdir(), 'vmcp-import-'))));
after(() => rmSync(tmp, { recursive: true, force: true }));

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (c: string) => (out += c) }, stderr: { write: (c: string) => (err += c) }, env: { ...env }, cwd: tmp };
  const code = await main(args, io);
  return { code, out, err };
}

/** Import FILE to a file, then run `vmcp validate` on it: both must succeed. */
async function importAndValidate(file: string, extra: string[] = [], env: Record<string, string> = {}) {
  const out = join(tmp, `${file}-${extra.join('-') || 'only'}.out.yaml`);
  const imported = await run(['import-toolhive', `${DIR}/${file}`, '-o', out, ...extra], env);
  assert.equal(imported.code, 0, imported.err);
  const validated = await run(['validate', out], env);
  assert.equal(validated.code, 0, validated.out + validated.err);
  return { text: readFileSync(out, 'utf8'), err: imported.err, validate: validated.out };
}

describe('vmcp import-toolhive', () => {
  it("production-full: in-cluster URLs, a missing MCPOIDCConfig and ToolHive's Cedar action names, each commented", async () => {
    const { text, err } = await importAndValidate('production-full.yaml');
    const config = parse(text) as Record<string, unknown>;
    assert.equal(config['name'], 'production-vmcp');
    assert.equal(config['groupRef'], 'production-services');
    const backends = config['backends'] as { name: string; url: string; transport: string }[];
    assert.deepEqual(
      backends.map((b) => [b.name, b.transport, b.url]),
      [
        ['yardstick-streamable', 'streamable-http', 'http://mcp-yardstick-streamable-proxy.production.svc.cluster.local:8080/mcp'],
        ['fetch', 'streamable-http', 'http://mcp-fetch-proxy.production.svc.cluster.local:8080/mcp'],
        ['yardstick-sse', 'sse', 'http://mcp-yardstick-sse-proxy.production.svc.cluster.local:8080/sse'],
      ],
    );
    assert.match(
      text,
      /# MCPServer "fetch" \(namespace production\)\n\s+# vmcp does not run container images \(ghcr\.io\/stackloklabs\/gofetch\/server\)/,
    );
    assert.match(text, /# ACTION: .*MCPOIDCConfig "production-oidc-config" is not in this manifest/);
    assert.match(text, /# spec\.podTemplateSpec dropped/);
    assert.match(text, /# spec\.serviceType dropped/);
    const policies = (config['incomingAuth'] as { authz: { policies: string[] } }).authz.policies;
    assert.match(policies[0]!, /Action::"call_tool"/);
    assert.match(policies[1]!, /Action::"read_resource"/);
    assert.match(text, /# incomingAuth\.authz: Action::"tools\/call" written as Action::"call_tool"/);
    assert.match(err, /action: incomingAuth\.oidc\.issuer: MCPOIDCConfig/);
    assert.match(err, /in-cluster Service URLs .*: yardstick-streamable, fetch, yardstick-sse/);
    assert.match(text, /# Priority order for backends/, 'spec.config keeps its own comments');
  });

  it('conflict-resolution: three VirtualMCPServers need --name; each imports and validates', async () => {
    const all = await run(['import-toolhive', `${DIR}/conflict-resolution.yaml`]);
    assert.equal(all.code, 2);
    assert.match(
      all.err,
      /3 VirtualMCPServers \(default\/vmcp-prefix-strategy, default\/vmcp-priority-strategy, default\/vmcp-manual-strategy\): choose one with --name/,
    );
    for (const name of ['vmcp-prefix-strategy', 'vmcp-priority-strategy', 'vmcp-manual-strategy']) {
      const { text } = await importAndValidate('conflict-resolution.yaml', ['--name', name]);
      assert.equal((parse(text) as { name: string }).name, name);
    }
  });

  it('composite-tool-simple: compositeToolRefs become inline compositeTools, stale keys rewritten', async () => {
    const { text } = await importAndValidate('composite-tool-simple.yaml');
    const config = parse(text) as { compositeTools?: { name: string; steps: { onError?: Record<string, unknown> }[] }[] };
    assert.equal(config.compositeTools?.[0]?.name, 'fetch_and_validate_data');
    assert.equal((config as Record<string, unknown>)['compositeToolRefs'], undefined);
    assert.equal(config.compositeTools[0]!.steps[0]!.onError?.['retryCount'], 2);
    assert.match(text, /# from VirtualMCPCompositeToolDefinition "fetch-and-validate"/);
    assert.match(text, /failureMode dropped/);
  });

  it('with-oidcconfig-ref: the MCPOIDCConfig is resolved; no group members is an error naming the group', async () => {
    const { code, out, err } = await run(['import-toolhive', `${DIR}/with-oidcconfig-ref.yaml`]);
    assert.equal(code, 1, err);
    const config = parse(out) as { incomingAuth: { oidc: Record<string, unknown> } };
    assert.deepEqual(config.incomingAuth.oidc, {
      issuer: 'https://auth.example.com',
      clientId: 'toolhive-client',
      clientSecretEnv: 'OIDC_SECRET_CLIENT_SECRET',
      audience: 'vmcp-api',
      scopes: ['openid'],
      resource: 'http://vmcp-shared-auth-vmcp.default.svc.cluster.local:4483/mcp',
    });
    assert.match(out, /# env OIDC_SECRET_CLIENT_SECRET: in Kubernetes, key "client-secret" of Secret "oidc-secret"/);
    assert.match(err, /action: backends: no MCPServer, MCPRemoteProxy or MCPServerEntry of group "my-services"/);
    assert.match(err, /error: .*groupRef/);
  });

  it('says what is wrong with its input: a YAML error with its line, no or an unknown VirtualMCPServer, an existing OUT', async () => {
    const bad = join(tmp, 'bad.yaml');
    writeFileSync(bad, 'kind: MCPGroup\nmetadata:\n  name: [unclosed\n');
    const syntax = await run(['import-toolhive', bad]);
    assert.equal(syntax.code, 2);
    assert.match(syntax.err, /bad\.yaml: YAML error at line \d+/);
    const none = await run(['import-toolhive', `${DIR}/../init.yaml`]);
    assert.equal(none.code, 2);
    assert.match(none.err, /the manifest has no VirtualMCPServer/);
    const unknown = await run(['import-toolhive', '--name', 'nope', `${DIR}/production-full.yaml`]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /no VirtualMCPServer "nope" \(found production\/production-vmcp\)/);
    const existing = join(tmp, 'exists.yaml');
    writeFileSync(existing, 'keep me\n');
    const refused = await run(['import-toolhive', `${DIR}/production-full.yaml`, '-o', existing]);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /refusing to write .*exists\.yaml: file exists \(use --force\)/);
    assert.equal(readFileSync(existing, 'utf8'), 'keep me\n');
    const missing = await run(['import-toolhive']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /FILE is required/);
  });

  it('remote-serve: the imported config serves remote members, tool configs, backend credentials and passthrough headers', async () => {
    await using headerEcho = await spawnFixture(`${FIXTURES}/header-echo.mjs`, ['--transport', 'streamable-http']);
    const spec = JSON.stringify({ tools: ['create_issue', 'list_issues', 'delete_issue'].map((name) => ({ name })) });
    await using catalog = await spawnFixture(`${FIXTURES}/named.mjs`, ['--transport', 'sse', '--name', 'catalog'], { NAMED_SPEC: spec });
    await using everything = await spawnFixture(`${FIXTURES}/echo.mjs`, ['--transport', 'streamable-http']);
    const manifest = join(tmp, 'remote.yaml');
    writeFileSync(
      manifest,
      readFileSync(`${DIR}/remote-serve.yaml`, 'utf8')
        .replace('${HEADER_ECHO_URL}', headerEcho.url)
        .replace('${CATALOG_SSE_URL}', catalog.url),
    );
    const env = { ECHO_API_KEY_KEY: 'key-from-secret' };
    const out = join(tmp, 'remote.out.yaml');
    const imported = await run(['import-toolhive', manifest, '-o', out], env);
    assert.equal(imported.code, 0, imported.err);
    assert.match(imported.err, /in-cluster Service URLs .*: everything/);
    const text = readFileSync(out, 'utf8');
    assert.match(
      text,
      /# MCPRemoteProxy "tenant-echo" \(namespace tools\)\n\s+# vmcp calls the remote server directly; in the cluster it sat behind http:\/\/mcp-tenant-echo-remote-proxy\.tools\.svc\.cluster\.local:8080/,
    );
    assert.match(text, /not carried over \(Kubernetes and proxy settings\): oidcConfigRef/);
    // The MCPServer runs in the cluster: point it at a local server, as a user would.
    const config = parse(text) as { backends: { name: string; url: string }[] };
    config.backends.find((b) => b.name === 'everything')!.url = everything.url;
    await using gw = await startGateway(config, env);
    await using client = await connectClient(gw.url, { headers: { 'X-Tenant': 'acme' } });
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    assert.deepEqual(names, ['catalog_list_issues', 'catalog_open_ticket', 'everything_echo', 'tenant-echo_headers']);
    const seen = (await client.callTool({ name: 'tenant-echo_headers', arguments: {} })).structuredContent as {
      headers: Record<string, string>;
    };
    assert.equal(seen.headers['x-tenant'], 'acme', 'spec.passthroughHeaders');
    assert.equal(seen.headers['x-team'], 'platform', 'headerForward.addPlaintextHeaders');
    assert.equal(seen.headers['x-api-key'], 'key-from-secret', 'the MCPExternalAuthConfig header injection, from the env var');
    const ticket = await client.callTool({ name: 'catalog_open_ticket', arguments: {} });
    assert.equal((ticket.structuredContent as { tool: string }).tool, 'create_issue');
  });
});
