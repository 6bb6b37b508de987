// Every kind of YAML and schema problem is reported with its path AND the line of the offending node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../src/config/load.js';
import { assertIssue, yaml } from './helpers.js';
import type { Expected } from './helpers.js';

const cases: { name: string; text: string; env?: Record<string, string>; expect: Expected }[] = [
  {
    name: 'YAML syntax error',
    text: yaml`
      name: x
      backends: [
    `,
    expect: { path: '', line: 3, message: /^YAML: / },
  },
  {
    name: 'duplicate key',
    text: yaml`
      name: x
      backends: []
      name: y
    `,
    expect: { path: 'name', line: 3, message: 'duplicate key "name"' },
  },
  {
    name: 'unknown top-level key',
    text: yaml`
      name: x
      backends: []
      agregation: {}
    `,
    expect: { path: 'agregation', line: 3, message: 'unknown key "agregation" (did you mean "aggregation"?)' },
  },
  {
    name: 'unknown nested key in a backend',
    text: yaml`
      name: x
      backends:
        - name: a
          transport: stdio
          command: node
          timeouts:
            conect: 5s
    `,
    expect: { path: 'backends[0].timeouts.conect', line: 7, message: 'unknown key "conect" (did you mean "connect"?)' },
  },
  {
    name: 'missing required key points at the parent',
    text: yaml`
      name: x
      backends:
        - name: a
          transport: stdio
    `,
    expect: { path: 'backends[0].command', line: 3, message: 'missing required key "command"' },
  },
  {
    name: 'wrong type',
    text: yaml`
      name: x
      backends: []
      server:
        port: eighty
    `,
    expect: { path: 'server.port', line: 4, message: 'must be a number (found a string)' },
  },
  {
    name: 'invalid enum value',
    text: yaml`
      name: x
      backends: []
      aggregation:
        conflictResolution: first-wins
    `,
    expect: { path: 'aggregation.conflictResolution', line: 4, message: 'must be one of "prefix", "priority", "manual"' },
  },
  {
    name: 'unknown transport',
    text: yaml`
      name: x
      backends:
        - name: a
          transport: websocket
    `,
    expect: { path: 'backends[0].transport', line: 4, message: 'must be one of "stdio", "streamable-http", "sse"' },
  },
  {
    name: 'missing transport',
    text: yaml`
      name: x
      backends:
        - name: a
          url: http://localhost:1/mcp
    `,
    expect: { path: 'backends[0].transport', line: 3, message: 'missing required key "transport"' },
  },
  {
    name: 'non-http URL',
    text: yaml`
      name: x
      backends:
        - name: a
          transport: sse
          url: ftp://example.com/sse
    `,
    expect: { path: 'backends[0].url', line: 5, message: 'must be an http:// or https:// URL' },
  },
  {
    name: 'malformed duration',
    text: yaml`
      name: x
      backends: []
      server:
        sessionTtl: 30 minutes
    `,
    expect: { path: 'server.sessionTtl', line: 4, message: 'must be a duration' },
  },
  {
    name: 'backend name outside the tool-name charset',
    text: yaml`
      name: x
      backends:
        - name: my server
          transport: stdio
          command: node
    `,
    expect: { path: 'backends[0].name', line: 3, message: 'must be 1-32 characters' },
  },
  {
    name: 'invalid header name (record key)',
    text: yaml`
      name: x
      backends:
        - name: a
          transport: streamable-http
          url: http://localhost:1/mcp
          headers:
            "Bad Header": v
    `,
    expect: { path: 'backends[0].headers["Bad Header"]', line: 7, message: 'key "Bad Header" must be a valid HTTP header name' },
  },
  {
    name: 'override with neither name, description nor annotations',
    text: yaml`
      name: x
      backends:
        - {name: a, transport: stdio, command: node}
      aggregation:
        tools:
          - workload: a
            overrides:
              echo: {}
    `,
    expect: { path: 'aggregation.tools[0].overrides.echo', line: 8, message: 'an override needs a name, a description or annotations' },
  },
  {
    name: 'number out of range',
    text: yaml`
      name: x
      backends: []
      aggregation:
        maxToolNameLength: 8
    `,
    expect: { path: 'aggregation.maxToolNameLength', line: 4, message: 'must be at least 16' },
  },
  {
    name: 'empty string',
    text: yaml`
      name: ""
      backends: []
    `,
    expect: { path: 'name', line: 1, message: 'must not be empty' },
  },
  {
    name: 'empty file',
    text: '',
    expect: { path: '', line: 1, message: 'the file is empty' },
  },
  {
    name: 'unset environment variable',
    text: yaml`
      name: x
      backends:
        - name: a
          transport: stdio
          command: node
          args: [server.js, "--token=\${VMCP_TEST_UNSET_VAR}"]
    `,
    expect: { path: 'backends[0].args[1]', line: 6, message: 'environment variable "VMCP_TEST_UNSET_VAR" is not set' },
  },
  {
    name: 'malformed variable reference',
    text: yaml`
      name: x
      backends:
        - name: a
          transport: stdio
          command: node
          cwd: \${not a name}
    `,
    expect: { path: 'backends[0].cwd', line: 6, message: 'malformed variable reference' },
  },
];

for (const c of cases) {
  test(`error: ${c.name}`, () => {
    const result = loadConfigText(c.text, { env: c.env ?? {} });
    assertIssue(result.issues, c.expect);
    assert.equal(result.config, undefined, 'no config when there is an error');
  });
}

test('a duplicate key does not hide the schema errors of the same file', () => {
  const text = yaml`
    name: x
    name: y
    backends: 3
  `;
  const { issues } = loadConfigText(text, { env: {} });
  assertIssue(issues, { path: 'name', line: 2, message: 'duplicate key' });
  assertIssue(issues, { path: 'backends', line: 3, message: 'must be a list (found an integer)' });
});
