// Cross-field problems (errors and warnings) are reported with path and line, and all at once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../src/config/load.js';
import { assertIssue, errorsOf, yaml } from './helpers.js';
import type { Expected } from './helpers.js';

const cases: { name: string; text: string; env?: Record<string, string>; expect: Expected }[] = [
  {
    name: 'duplicate backend names (names both indexes)',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
        - {name: b, transport: stdio, command: node}
        - {name: a, transport: stdio, command: node}
    `,
    expect: { path: 'backends[2].name', line: 5, message: 'duplicate backend name "a": backends[0] and backends[2]' },
  },
  {
    name: 'priorityOrder names an unknown backend',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
      aggregation:
        conflictResolution: priority
        conflictResolutionConfig:
          priorityOrder:
            - a
            - ghost
    `,
    expect: { path: 'aggregation.conflictResolutionConfig.priorityOrder[1]', line: 9, message: 'no backend is named "ghost"' },
  },
  {
    name: 'priority without priorityOrder',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
      aggregation:
        conflictResolution: priority
    `,
    expect: { path: 'aggregation.conflictResolution', line: 5, message: 'non-empty conflictResolutionConfig.priorityOrder' },
  },
  {
    name: 'tools[].workload names an unknown backend',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
      aggregation:
        tools:
          - workload: b
            excludeAll: true
    `,
    expect: { path: 'aggregation.tools[0].workload', line: 6, message: 'no backend is named "b"' },
  },
  {
    name: 'tools[].workload duplicated',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
      aggregation:
        tools:
          - workload: a
          - workload: a
    `,
    expect: { path: 'aggregation.tools[1].workload', line: 7, message: 'aggregation.tools[0] and aggregation.tools[1]' },
  },
  {
    name: 'empty prefixFormat',
    text: yaml`
      name: x
      backends: []
      aggregation:
        conflictResolutionConfig:
          prefixFormat: ""
    `,
    expect: { path: 'aggregation.conflictResolutionConfig.prefixFormat', line: 5, message: 'must not be empty' },
  },
  {
    name: 'perWorkload names an unknown backend',
    text: yaml`
      name: x
      backends: []
      operational:
        timeouts:
          perWorkload:
            ghost: 5s
    `,
    expect: { path: 'operational.timeouts.perWorkload.ghost', line: 6, message: 'no backend is named "ghost"' },
  },
  {
    name: 'zero timeout',
    text: yaml`
      name: x
      backends:
        - name: a
          transport: stdio
          command: node
          timeouts: {request: 0ms}
    `,
    expect: { path: 'backends[0].timeouts.request', line: 6, message: 'must be greater than 0' },
  },
  {
    name: 'timeout beyond what setTimeout supports',
    text: yaml`
      name: x
      backends: []
      operational:
        timeouts:
          default: 1000h
    `,
    expect: { path: 'operational.timeouts.default', line: 5, message: 'must be at most 596h' },
  },
  {
    name: 'header managed by the transport',
    text: yaml`
      name: x
      backends:
        - name: a
          transport: streamable-http
          url: http://localhost:1/mcp
          headers:
            Mcp-Session-Id: abc
    `,
    expect: { path: 'backends[0].headers.Mcp-Session-Id', line: 7, message: 'managed by the transport' },
  },
  {
    name: 'header value with a line break (after expansion)',
    text: yaml`
      name: x
      backends:
        - name: a
          transport: streamable-http
          url: http://localhost:1/mcp
          headers:
            X-Token: \${INJECT}
    `,
    env: { INJECT: 'abc\r\nX-Evil: 1' },
    expect: { path: 'backends[0].headers.X-Token', line: 7, message: 'must not contain line breaks' },
  },
];

for (const c of cases) {
  test(`error: ${c.name}`, () => {
    const result = loadConfigText(c.text, { env: c.env ?? {} });
    assertIssue(result.issues, c.expect);
    assert.equal(result.config, undefined, 'no config when there is an error');
  });
}

const warnings: { name: string; text: string; env?: Record<string, string>; expect: Expected }[] = [
  {
    name: 'prefixFormat without {workload}',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
      aggregation:
        conflictResolutionConfig:
          prefixFormat: "gw_"
    `,
    expect: {
      path: 'aggregation.conflictResolutionConfig.prefixFormat',
      line: 6,
      severity: 'warning',
      message: 'no {workload} placeholder',
    },
  },
  {
    name: 'prefixFormat with characters clients reject',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
      aggregation:
        conflictResolutionConfig:
          prefixFormat: "{workload}."
    `,
    expect: { path: 'aggregation.conflictResolutionConfig.prefixFormat', line: 6, severity: 'warning', message: 'outside [A-Za-z0-9_-]' },
  },
  {
    name: 'non-loopback host',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
      server:
        host: 0.0.0.0
      incomingAuth:
        allowRemoteAnonymous: true
    `,
    expect: { path: 'server.host', line: 5, severity: 'warning', message: 'non-loopback' },
  },
  {
    name: 'no enabled backends',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node, disabled: true}
    `,
    expect: { path: 'backends', line: 2, severity: 'warning', message: 'no enabled backends' },
  },
  {
    name: 'priorityOrder without the priority strategy',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
      aggregation:
        conflictResolutionConfig:
          priorityOrder: [a]
    `,
    expect: { path: 'aggregation.conflictResolutionConfig.priorityOrder', line: 6, severity: 'warning', message: 'ignored unless' },
  },
  {
    name: 'filter together with excludeAll',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
      aggregation:
        tools:
          - workload: a
            excludeAll: true
            filter: [echo]
    `,
    expect: { path: 'aggregation.tools[0].filter', line: 8, severity: 'warning', message: 'excludeAll hides every tool' },
  },
  {
    name: 'perWorkload shadowed by the backend timeout',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node, timeouts: {request: 5s}}
      operational:
        timeouts:
          perWorkload: {a: 9s}
    `,
    expect: {
      path: 'operational.timeouts.perWorkload.a',
      line: 6,
      severity: 'warning',
      message: 'backends[0].timeouts.request takes precedence',
    },
  },
  {
    name: 'empty environment variable',
    text: yaml`
      name: x
      backends:
        - name: a
          transport: stdio
          command: node
          env: {TOKEN: "\${EMPTY_VAR}"}
    `,
    env: { EMPTY_VAR: '' },
    expect: { path: 'backends[0].env.TOKEN', line: 6, severity: 'warning', message: 'environment variable "EMPTY_VAR" is set but empty' },
  },
];

for (const c of warnings) {
  test(`warning: ${c.name}`, () => {
    const result = loadConfigText(c.text, { env: c.env ?? {} });
    assertIssue(result.issues, c.expect);
    assert.deepEqual(errorsOf(result.issues), [], 'a warning alone does not make the config invalid');
    assert.ok(result.config, 'config is produced despite warnings');
  });
}

test('all problems are reported at once, in file order', () => {
  const text = yaml`
    name: x
    backends:
      - name: a
        transport: stdio
        command: node
        colour: blue
      - name: a
        transport: sse
        url: not a url
    aggregation:
      tools:
        - workload: ghost
  `;
  const { issues, config } = loadConfigText(text, { env: {} });
  assert.equal(config, undefined);
  assert.deepEqual(
    issues.map((i) => [i.line, i.path]),
    [
      [6, 'backends[0].colour'],
      [7, 'backends[1].name'],
      [9, 'backends[1].url'],
      [12, 'aggregation.tools[0].workload'],
    ],
  );
  assert.ok(issues.every((i) => i.severity === 'error' && typeof i.column === 'number'));
});
