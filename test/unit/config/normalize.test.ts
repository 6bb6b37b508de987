import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '../../../src/config/defaults.js';
import { loadConfigFile, loadConfigText } from '../../../src/config/load.js';
import type { RuntimeConfig } from '../../../src/config/types.js';
import { dump, yaml } from './helpers.js';

function load(text: string, options: Parameters<typeof loadConfigText>[1] = {}): RuntimeConfig {
  const { config, issues } = loadConfigText(text, { env: {}, ...options });
  assert.ok(config, dump(issues));
  return config;
}

const minimal = 'name: x\nbackends:\n  - {name: a, transport: stdio, command: node}\n';

test('the defaults table holds the documented values', () => {
  assert.deepEqual(
    { ...DEFAULTS },
    {
      host: '127.0.0.1',
      port: 4483,
      maxRequestBodyBytes: 4 * 1024 * 1024,
      sessionTtl: '30m',
      shutdownGracePeriod: '10s',
      modernPageSize: 1000,
      connectTimeout: '30s',
      requestTimeout: '60s',
      conflictResolution: 'prefix',
      prefixFormat: '{workload}_',
      maxToolNameLength: 64,
      logLevel: 'info',
      protocolVersion: 'legacy',
      healthCheckInterval: '30s',
      healthCheckTimeout: '10s',
      unhealthyThreshold: 3,
      degradedThreshold: '5s',
      statusReportingInterval: '30s',
      circuitBreakerEnabled: false,
      circuitBreakerFailureThreshold: 5,
      circuitBreakerTimeout: '60s',
      incomingAuthType: 'anonymous',
      defaultToolVisibility: 'allow',
      clockSkew: '30s',
      outgoingAuthType: 'unauthenticated',
      tokenPassthroughHeader: 'Authorization',
      subjectTokenType: 'access_token',
      entitiesJson: '[]',
      maxSessions: 10_000,
      maxSessionsPerPrincipal: 1000,
      sessionInitTimeout: '10s',
      maxJsonDepth: 64,
      maxConnections: 1024,
      headersTimeout: '10s',
      keepAliveTimeout: '5s',
      maxResultBytes: 16 * 1024 * 1024,
      stderrLinesPerSecond: 100,
      notificationsPerSecond: 100,
      exclusiveWait: '5s',
      maxToolsToReturn: 8,
      embeddingProvider: 'tei',
      embeddingServiceTimeout: '30s',
      hybridSearchSemanticRatio: 0.5,
      semanticDistanceThreshold: 1.0,
    },
  );
  assert.ok(Object.isFrozen(DEFAULTS));
});

test('every unset key gets its default', () => {
  const config = load(minimal);
  assert.deepEqual(config.server, {
    host: '127.0.0.1',
    port: 4483,
    maxRequestBodyBytes: 4_194_304,
    sessionTtlMs: 1_800_000,
    allowedHosts: [],
    allowedOrigins: [],
    shutdownGracePeriodMs: 10_000,
    limits: {
      maxSessions: 10_000,
      maxSessionsPerPrincipal: 1000,
      sessionInitTimeoutMs: 10_000,
      maxJsonDepth: 64,
      maxConnections: 1024,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5000,
    },
  });
  const [backend] = config.backends;
  assert.deepEqual(backend?.limits, {
    maxResultBytes: 16_777_216,
    stderrLinesPerSecond: 100,
    notificationsPerSecond: 100,
    exclusiveWaitMs: 5000,
  });
  assert.equal(backend?.connectTimeoutMs, 30_000);
  assert.equal(backend?.requestTimeoutMs, 60_000);
  assert.equal(backend?.protocolVersion, 'legacy');
  assert.deepEqual(config.aggregation, {
    conflictResolution: 'prefix',
    prefixFormat: '{workload}_',
    priorityOrder: [],
    excludeAllTools: false,
    defaultToolVisibility: 'allow',
    maxToolNameLength: 64,
    tools: {},
  });
  assert.equal(config.logLevel, 'info');
  assert.equal(config.source, undefined, 'in-memory config has no source');
});

test("limits: a backend's own limits win over operational.limits, which win over defaults", () => {
  const config = load(yaml`
    name: x
    backends:
      - {name: own, transport: stdio, command: node, limits: {maxResultBytes: 2048, exclusiveWait: 1s}}
      - {name: plain, transport: stdio, command: node}
    operational:
      limits: {maxResultBytes: 4096, stderrLinesPerSecond: 7}
  `);
  assert.deepEqual(
    config.backends.map((b) => [b.name, b.limits]),
    [
      ['own', { maxResultBytes: 2048, stderrLinesPerSecond: 7, notificationsPerSecond: 100, exclusiveWaitMs: 1000 }],
      ['plain', { maxResultBytes: 4096, stderrLinesPerSecond: 7, notificationsPerSecond: 100, exclusiveWaitMs: 5000 }],
    ],
  );
});

test('request timeout: backend timeouts.request, then perWorkload, then default', () => {
  const config = load(yaml`
    name: x
    backends:
      - {name: own, transport: stdio, command: node, timeouts: {request: 1s}}
      - {name: listed, transport: stdio, command: node}
      - {name: plain, transport: stdio, command: node}
    operational:
      timeouts:
        default: 3s
        perWorkload: {own: 9s, listed: 2s}
  `);
  assert.deepEqual(
    config.backends.map((b) => [b.name, b.requestTimeoutMs]),
    [
      ['own', 1000],
      ['listed', 2000],
      ['plain', 3000],
    ],
  );
});

test('disabled backends are dropped, with every reference to them', () => {
  const config = load(yaml`
    name: x
    backends:
      - {name: on, transport: stdio, command: node}
      - {name: off, transport: stdio, command: node, disabled: true}
    aggregation:
      conflictResolution: priority
      conflictResolutionConfig: {priorityOrder: [off, on]}
      tools:
        - {workload: off, excludeAll: true}
        - {workload: on, filter: [echo], overrides: {echo: {name: say}}}
  `);
  assert.deepEqual(
    config.backends.map((b) => b.name),
    ['on'],
  );
  assert.deepEqual(config.aggregation.priorityOrder, ['on']);
  assert.deepEqual(config.aggregation.tools, {
    on: { workload: 'on', filter: ['echo'], excludeAll: false, overrides: { echo: { name: 'say' } } },
  });
});

test('stdio cwd resolves against the config file directory; a command path against cwd', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vmcp-norm-'));
  try {
    const file = join(dir, 'c.yaml');
    await writeFile(
      file,
      yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
        - {name: b, transport: stdio, command: ./bin/server, cwd: sub}
        - {name: c, transport: stdio, command: /usr/bin/env, cwd: /opt}
    `,
    );
    const { config, issues } = await loadConfigFile(file, {});
    assert.ok(config, dump(issues));
    assert.equal(config.source, file);
    const stdio = config.backends.map((b) => (b.transport === 'stdio' ? [b.cwd, b.command] : []));
    assert.deepEqual(stdio, [
      [dir, 'node'],
      [join(dir, 'sub'), join(dir, 'sub', 'bin', 'server')],
      ['/opt', '/usr/bin/env'],
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('in-memory configs resolve cwd against process.cwd(), or baseDir when given', () => {
  const text = 'name: x\nbackends:\n  - {name: a, transport: stdio, command: node, cwd: sub}\n';
  const fromCwd = load(text).backends[0];
  assert.equal(fromCwd?.transport === 'stdio' && fromCwd.cwd, join(process.cwd(), 'sub'));
  const fromBase = load(text, { baseDir: '/base' }).backends[0];
  assert.equal(fromBase?.transport === 'stdio' && fromBase.cwd, '/base/sub');
});

test('the runtime config is deep-frozen and has no $schema', () => {
  const config = load(`$schema: ../schema/vmcp-config.schema.json\n${minimal}`);
  assert.equal('$schema' in config, false);
  assert.throws(() => {
    (config.server as { port: number }).port = 1;
  }, TypeError);
  assert.throws(() => {
    (config.backends as unknown[]).push({});
  }, TypeError);
  const backend = config.backends[0];
  assert.ok(backend?.transport === 'stdio');
  assert.throws(() => {
    (backend.args as string[]).push('x');
  }, TypeError);
});

test('loadConfigFile reports an unreadable file as an issue', async () => {
  const { config, issues } = await loadConfigFile('/nonexistent/vmcp.yaml', {});
  assert.equal(config, undefined);
  assert.equal(issues.length, 1);
  assert.match(issues[0]?.message ?? '', /cannot read config file .*ENOENT/);
});

test("health settings: a backend's own keys win over operational.failureHandling, which wins over defaults", () => {
  const config = load(`name: h
operational:
  failureHandling:
    healthCheckInterval: 20s
    unhealthyThreshold: 2
    circuitBreaker: { enabled: true, timeout: 5s }
backends:
  - { name: a, transport: stdio, command: x, health: { interval: 5s, timeout: 1s, degradedThreshold: 200ms } }
  - { name: b, transport: stdio, command: x }
`);
  assert.deepEqual(config.backends[0]!.health, { intervalMs: 5000, timeoutMs: 1000, unhealthyThreshold: 2, degradedThresholdMs: 200 });
  assert.deepEqual(config.backends[1]!.health, { intervalMs: 20000, timeoutMs: 10000, unhealthyThreshold: 2, degradedThresholdMs: 5000 });
  assert.deepEqual(config.circuitBreaker, { enabled: true, failureThreshold: 5, openMs: 5000 });
});
