// Golden tests (house rule 5): YAML in → normalized runtime JSON out. Machine-specific paths are
// replaced by <golden> and <root>. Run with UPDATE_GOLDEN=1 to rewrite the .json files, then
// review the diff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfigFile } from '../../../src/config/load.js';
import { dump } from './helpers.js';

const GOLDEN_DIR = fileURLToPath(new URL('./golden', import.meta.url));
const ROOT = resolve(GOLDEN_DIR, '../../../..');
const ENV = { GOLDEN_TOKEN: 'tok-123', GOLDEN_HOST: 'mcp.test' };

/** Only at the start of a JSON string, and the golden dir (inside the root) first. */
function portable(json: string): string {
  return json.split(`"${GOLDEN_DIR}`).join('"<golden>').split(`"${ROOT}`).join('"<root>');
}

const files = (await readdir(GOLDEN_DIR)).filter((f) => f.endsWith('.yaml')).sort();

test('golden directory has cases', () => {
  assert.ok(files.length >= 3, files.join(', '));
});

for (const file of files) {
  test(`golden: ${file}`, async () => {
    const { config, issues } = await loadConfigFile(join(GOLDEN_DIR, file), ENV);
    assert.ok(config, dump(issues));
    const actual = `${portable(JSON.stringify(config, null, 2))}\n`;
    const expectedPath = join(GOLDEN_DIR, file.replace(/\.yaml$/, '.json'));
    if (process.env.UPDATE_GOLDEN === '1') await writeFile(expectedPath, actual);
    assert.equal(actual, await readFile(expectedPath, 'utf8'), `${file}: normalized output changed (UPDATE_GOLDEN=1 to accept)`);
  });
}
