// `${package:NAME}`: an installed npm package's directory, resolved from vmcp's own location, so
// configs (the demo among them) run servers wherever npm installed them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expandString } from '../../../src/config/expand-env.js';
import { loadConfigText } from '../../../src/config/load.js';
import { assertIssue, dump, yaml } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

test('${package:NAME} is the install directory of a package without an exports map', () => {
  const r = expandString('${package:@modelcontextprotocol/server-memory}/dist/index.js', {});
  assert.equal(r.value, `${ROOT}/node_modules/@modelcontextprotocol/server-memory/dist/index.js`);
  assert.deepEqual(r.packages, []);
  assert.ok(existsSync(r.value));
});

test('${package:NAME} finds a package whose exports map hides package.json', () => {
  assert.equal(expandString('${package:@modelcontextprotocol/client}', {}).value, `${ROOT}/node_modules/@modelcontextprotocol/client`);
  assert.equal(expandString('${package:yaml}', {}).value, `${ROOT}/node_modules/yaml`);
});

test('${package:-x} is still the variable "package" with a default', () => {
  assert.equal(expandString('${package:-x}', {}).value, 'x');
  assert.deepEqual(expandString('${package:-x}', {}).packages, []);
});

test('a package that is not installed, or not a package name, is an error with its path and line', () => {
  const { config, issues } = loadConfigText(
    yaml`
    name: x
    backends:
      - name: a
        transport: stdio
        command: node
        args: ["\${package:vmcp-no-such-package-x}/dist/index.js"]
        cwd: \${package:./relative}
    `,
    { env: {} },
  );
  assert.equal(config, undefined, dump(issues));
  assertIssue(issues, { path: 'backends[0].args[0]', line: 6, message: 'package "vmcp-no-such-package-x" is not installed' });
  assertIssue(issues, { path: 'backends[0].cwd', line: 7, message: '"./relative" is not an npm package name' });
});
