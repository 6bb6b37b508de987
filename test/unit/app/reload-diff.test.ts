// The reload diff: backends by fingerprint (a rotated secret is a change, a reordered list is not),
// live sections, sections that need a restart, and the config as it will run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asRunning, diffConfig, fingerprint } from '../../../src/app/reload-diff.js';
import { Secret } from '../../../src/config/secret.js';
import { loadConfigText } from '../../../src/config/load.js';
import type { RuntimeConfig } from '../../../src/config/types.js';

function load(doc: Record<string, unknown>, env: Record<string, string> = {}): RuntimeConfig {
  const { config, issues } = loadConfigText(JSON.stringify({ name: 'd', ...doc }), { source: '/tmp/d.yaml', env });
  assert.ok(config, JSON.stringify(issues));
  return config;
}

const stdio = (name: string, args: string[] = []) => ({ name, transport: 'stdio', command: 'node', args });
const githubAuth = { backends: { a: { type: 'header_injection', headerInjection: { envName: 'T', headerValueEnv: 'TOKEN' } } } };

test('backends are added, removed, changed or unchanged by their normalized settings', () => {
  const from = load({ backends: [stdio('a'), stdio('b'), stdio('c')] });
  const to = load({ backends: [stdio('c'), stdio('a', ['--x']), stdio('d')] });
  assert.deepEqual(diffConfig(from, to).backends, { added: ['d'], removed: ['b'], changed: ['a'], unchanged: ['c'] });
  assert.equal(diffConfig(from, from).live.size, 0);
  assert.deepEqual(diffConfig(from, from).restartOnly, []);
});

test('a rotated secret changes the backend, and the fingerprint never carries the secret', () => {
  const a = load({ backends: [stdio('a')], outgoingAuth: githubAuth }, { TOKEN: 'one-secret-value' });
  const b = load({ backends: [stdio('a')], outgoingAuth: githubAuth }, { TOKEN: 'two-secret-value' });
  assert.deepEqual(diffConfig(a, b).backends.changed, ['a']);
  assert.notEqual(fingerprint(new Secret('x')), fingerprint(new Secret('y')));
  assert.equal(fingerprint({ k: 1, j: 2 }), fingerprint({ j: 2, k: 1 }), 'key order does not matter');
});

test('aggregation is live; the listener needs a restart and keeps its running value', () => {
  const from = load({ backends: [stdio('a')] });
  const to = load({
    backends: [stdio('a')],
    server: { port: 9999 },
    aggregation: { conflictResolution: 'prefix', conflictResolutionConfig: { prefixFormat: '{workload}__' } },
  });
  const diff = diffConfig(from, to);
  assert.deepEqual([...diff.live], ['aggregation']);
  assert.deepEqual(diff.restartOnly, ['server']);
  const running = asRunning(from, to);
  assert.equal(running.server.port, from.server.port);
  assert.equal(running.aggregation, to.aggregation);
});

test('passthroughHeaders need a restart: the edge and the backend connections are built with them', () => {
  const from = load({ backends: [stdio('a')] });
  const to = load({ backends: [stdio('a')], passthroughHeaders: ['X-Tenant'] });
  assert.deepEqual(diffConfig(from, to).restartOnly, ['passthroughHeaders']);
  assert.deepEqual(asRunning(from, to).passthroughHeaders, []);
});
