// The reference page stays true: its full YAML examples validate, and it states the defaults
// the defaults table actually holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { DEFAULTS } from '../../../src/config/defaults.js';
import { loadConfigText } from '../../../src/config/load.js';
import { dump, errorsOf } from './helpers.js';

const doc = await readFile(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');

test('every complete YAML example in docs/configuration.md validates', () => {
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').filter((b) => /^name:/m.test(b));
  assert.ok(blocks.length >= 1, 'found a full example');
  for (const block of blocks) {
    const { issues } = loadConfigText(block, { env: { GITHUB_TOKEN: 'x' } });
    assert.deepEqual(errorsOf(issues), [], `${block}\n${dump(issues)}`);
  }
});

test('docs/configuration.md quotes the defaults table', () => {
  const quoted: [string, string][] = [
    ['host', `| \`${DEFAULTS.host}\` |`],
    ['port', `| \`${DEFAULTS.port}\` |`],
    ['maxRequestBodyBytes', `\`${DEFAULTS.maxRequestBodyBytes}\` (4 MiB)`],
    ['sessionTtl', `| \`${DEFAULTS.sessionTtl}\` |`],
    ['shutdownGracePeriod', `| \`${DEFAULTS.shutdownGracePeriod}\` |`],
    ['connectTimeout', `| \`${DEFAULTS.connectTimeout}\` |`],
    ['requestTimeout', `| \`${DEFAULTS.requestTimeout}\` |`],
    ['conflictResolution', `| \`${DEFAULTS.conflictResolution}\` |`],
    ['prefixFormat', `| \`${DEFAULTS.prefixFormat}\` |`],
    ['maxToolNameLength', `| \`${DEFAULTS.maxToolNameLength}\` |`],
    ['logLevel', `| \`${DEFAULTS.logLevel}\` |`],
    ['protocolVersion', `| \`${DEFAULTS.protocolVersion}\` |`],
  ];
  for (const [key, text] of quoted) assert.ok(doc.includes(text), `${key}: docs should contain ${text}`);
});
