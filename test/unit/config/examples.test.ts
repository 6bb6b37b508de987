// Every shipped example is valid, and references the schema for editors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../../src/config/load.js';
import { dump, errorsOf } from './helpers.js';

const EXAMPLES = fileURLToPath(new URL('../../../examples', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');
const files = (await readdir(EXAMPLES)).filter((f) => f.endsWith('.yaml')).sort();

test('the expected examples exist', () => {
  for (const name of ['demo.yaml', 'priority.yaml', 'manual.yaml', 'remote.yaml']) assert.ok(files.includes(name), name);
});

for (const file of files) {
  test(`examples/${file} validates with zero errors`, async () => {
    const path = join(EXAMPLES, file);
    // An empty env: examples must not depend on the developer's environment.
    const { config, issues } = await loadConfigFile(path, {});
    assert.deepEqual(errorsOf(issues), [], dump(issues));
    assert.ok(config);
    for (const backend of config.backends) {
      if (backend.transport !== 'stdio' || backend.command !== 'node') continue;
      const script = resolve(backend.cwd, backend.args[0] ?? '');
      assert.ok(existsSync(script), `${file}: ${backend.name} runs ${script}, which does not exist`);
    }
    const firstLine = (await readFile(path, 'utf8')).split('\n')[0];
    assert.equal(firstLine, '# yaml-language-server: $schema=../schema/vmcp-config.schema.json');
  });
}

test('demo.yaml runs the two reference servers from where npm installed them', async () => {
  const { config } = await loadConfigFile(join(EXAMPLES, 'demo.yaml'), {});
  assert.ok(config);
  assert.equal(config.name, 'vmcp-demo');
  assert.deepEqual(
    config.backends.map((b) => [b.name, b.transport, b.transport === 'stdio' && b.cwd]),
    [
      ['everything', 'stdio', EXAMPLES],
      ['memory', 'stdio', EXAMPLES],
    ],
  );
  const [everything, memory] = config.backends;
  assert.ok(everything?.transport === 'stdio' && memory?.transport === 'stdio');
  // ${package:NAME} resolves from vmcp's own location: in a checkout, its node_modules.
  assert.deepEqual(everything.args, [`${ROOT}/node_modules/@modelcontextprotocol/server-everything/dist/index.js`, 'stdio']);
  assert.deepEqual(memory.args, [`${ROOT}/node_modules/@modelcontextprotocol/server-memory/dist/index.js`]);
  // server-memory resolves a relative MEMORY_FILE_PATH against its own dist/, so it must be absolute.
  assert.match(memory.env.MEMORY_FILE_PATH ?? '', /^\/.*vmcp-demo-memory\.jsonl$/);
  assert.equal(config.aggregation.conflictResolution, 'prefix');
});
