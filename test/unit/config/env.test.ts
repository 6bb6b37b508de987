import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandString } from '../../../src/config/expand-env.js';
import { loadConfigText } from '../../../src/config/load.js';
import { assertIssue, dump, yaml } from './helpers.js';

test('expandString: ${VAR}, defaults, escapes and bare $', () => {
  const env = { A: 'alpha', EMPTY: '' };
  assert.equal(expandString('x-${A}-y', env).value, 'x-alpha-y');
  assert.equal(expandString('${A}${A}', env).value, 'alphaalpha');
  assert.equal(expandString('${B:-beta}', env).value, 'beta', 'default when unset');
  assert.equal(expandString('${EMPTY:-beta}', env).value, 'beta', 'default when empty (POSIX :-)');
  assert.equal(expandString('${A:-beta}', env).value, 'alpha', 'no default when set');
  assert.equal(expandString('${B:-}', env).value, '', 'empty default');
  assert.equal(expandString('${B:-a:b/c}', env).value, 'a:b/c', 'default may contain punctuation');
  assert.equal(expandString('$${A}', env).value, '${A}', '$${ escapes');
  assert.equal(expandString('pa$$word $A', env).value, 'pa$$word $A', 'bare $ is literal');
});

test('expandString reports unset, empty and malformed references', () => {
  const r = expandString('${MISSING}/${EMPTY}/${MISSING}', { EMPTY: '' });
  assert.deepEqual(r.missing, ['MISSING', 'MISSING']);
  assert.deepEqual(r.empty, ['EMPTY']);
  assert.equal(r.malformed, false);
  assert.equal(expandString('${1X}', {}).malformed, true);
  assert.equal(expandString('${A', {}).malformed, true);
  assert.equal(expandString('${}', {}).malformed, true);
});

test('load expands command, args, cwd, url, env and headers', () => {
  const text = yaml`
    name: x
    backends:
      - name: local
        transport: stdio
        command: \${BIN}
        args: ["--dir=\${DIR}", "\${NOPE:-fallback}"]
        cwd: \${DIR}
        env: {API_KEY: "\${KEY}"}
      - name: remote
        transport: streamable-http
        url: http://\${HOST}:8080/mcp
        headers: {Authorization: "Bearer \${KEY}"}
  `;
  const env = { BIN: 'mcp-server', DIR: '/srv/data', KEY: 'k-123', HOST: 'example.com' };
  const { config, issues } = loadConfigText(text, { env });
  assert.ok(config, dump(issues));
  const [local, remote] = config.backends;
  assert.ok(local?.transport === 'stdio' && remote?.transport === 'streamable-http');
  assert.equal(local.command, 'mcp-server');
  assert.deepEqual(local.args, ['--dir=/srv/data', 'fallback']);
  assert.equal(local.cwd, '/srv/data');
  assert.deepEqual(local.env, { API_KEY: 'k-123' });
  assert.equal(remote.url, 'http://example.com:8080/mcp');
  assert.deepEqual(remote.headers, { Authorization: 'Bearer k-123' });
});

test('references outside the expanded fields stay literal', () => {
  const text = yaml`
    name: x
    backends:
      - {name: a, transport: stdio, command: node}
    aggregation:
      tools:
        - workload: a
          overrides:
            echo: {description: "costs \${PRICE}"}
  `;
  const { config, issues } = loadConfigText(text, { env: { PRICE: '5' } });
  assert.ok(config, dump(issues));
  assert.equal(config.aggregation.tools.a?.overrides.echo?.description, 'costs ${PRICE}');
});

test('an unset variable is an error naming the variable and the path', () => {
  const text = yaml`
    name: x
    backends:
      - name: remote
        transport: sse
        url: http://localhost:1/sse
        headers:
          Authorization: "Bearer \${VMCP_TEST_TOKEN}"
  `;
  const { config, issues } = loadConfigText(text, { env: {} });
  assert.equal(config, undefined);
  assertIssue(issues, { path: 'backends[0].headers.Authorization', line: 7, message: '"VMCP_TEST_TOKEN" is not set' });
});

test('the env option defaults to process.env', () => {
  process.env.VMCP_TEST_FROM_PROCESS = '/from/process';
  try {
    const text = 'name: x\nbackends:\n  - {name: a, transport: stdio, command: node, cwd: "${VMCP_TEST_FROM_PROCESS}"}\n';
    const { config } = loadConfigText(text);
    assert.equal(config?.backends[0]?.transport === 'stdio' && config.backends[0].cwd, '/from/process');
  } finally {
    delete process.env.VMCP_TEST_FROM_PROCESS;
  }
});
