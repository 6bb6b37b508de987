// Secrets never appear in any message: not in issues, not in `vmcp validate` text or JSON output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigText, redact } from '../../../src/config/load.js';
import { runValidate } from '../../../src/cli/validate.js';
import { yaml } from './helpers.js';

const SENTINEL = 'sentinel-s3cr3t-7f1c';

const withSecretAndErrors = yaml`
  name: x
  backends:
    - name: api
      transport: streamable-http
      url: http://localhost:1/mcp
      headers:
        Authorization: "Bearer \${SECRET}"
        X-Injected: "\${INJECTED}"
        Host: "\${SECRET}"
      timeout: 5s
    - name: tool
      transport: stdio
      command: node
      env:
        API_KEY: \${SECRET}
        OTHER: \${UNSET_ONE}
      cwd: \${SECRET}/\${
`;
const env = { SECRET: SENTINEL, INJECTED: `${SENTINEL}\r\nX-Evil: 1` };

async function validateOutput(text: string, args: string[]): Promise<{ code: number; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'vmcp-secrets-'));
  try {
    const file = join(dir, 'vmcp.yaml');
    await writeFile(file, text);
    let out = '';
    const sink = { write: (s: string) => (out += s) };
    const code = await runValidate([...args, file], { stdout: sink, stderr: sink, env });
    return { code, out };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('issues about header and env values never include the value', () => {
  const { issues } = loadConfigText(withSecretAndErrors, { env });
  const paths = issues.map((i) => i.path);
  // The file really has problems on exactly the secret-carrying nodes...
  assert.ok(paths.includes('backends[0].headers.X-Injected'), 'line-break injection reported');
  assert.ok(paths.includes('backends[0].headers.Host'), 'managed header reported');
  assert.ok(paths.includes('backends[1].env.OTHER'), 'unset variable reported');
  assert.ok(paths.includes('backends[1].cwd'), 'malformed reference reported');
  // ...and yet the value is nowhere.
  assert.ok(!JSON.stringify(issues).includes(SENTINEL), JSON.stringify(issues));
  assert.ok(!JSON.stringify(issues).includes('s3cr3t'));
});

test('vmcp validate output (text and --json) never includes the value', async () => {
  for (const args of [[], ['--json']]) {
    const { code, out } = await validateOutput(withSecretAndErrors, args);
    assert.equal(code, 2);
    assert.ok(out.includes('backends[0].headers.X-Injected'), out);
    assert.ok(!out.includes(SENTINEL), out);
  }
});

test('a YAML syntax error on a line holding a literal token does not quote the line', async () => {
  const text = `name: x\nbackends:\n  - name: a\n    headers: {Authorization: Bearer ${SENTINEL}: oops\n`;
  const { code, out } = await validateOutput(text, []);
  assert.equal(code, 2);
  assert.match(out, /YAML: /);
  assert.ok(!out.includes(SENTINEL), out);
});

test('redact masks secret values of 4+ characters wherever they appear', () => {
  assert.equal(redact(`got ${SENTINEL} twice: ${SENTINEL}`, [SENTINEL]), 'got *** twice: ***');
  assert.equal(redact('value on', ['on']), 'value on', 'too short to mask meaningfully');
});
