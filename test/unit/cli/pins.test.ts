// `vmcp pins` argument handling: every misuse is a usage error that says what was wrong.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parsePinsArgs, runPins } from '../../../src/cli/pins.js';

describe('vmcp pins arguments', () => {
  it('derives the API base from a base or /mcp URL', () => {
    assert.deepEqual(parsePinsArgs(['approve', 'wx/get_weather', '--url', 'http://127.0.0.1:9/mcp']), {
      action: 'approve',
      name: 'wx/get_weather',
      all: false,
      base: 'http://127.0.0.1:9',
      json: false,
    });
    assert.equal((parsePinsArgs(['list', '-u', 'localhost:4483']) as { base: string }).base, 'http://localhost:4483');
  });

  it('refuses misuse with a reason', () => {
    assert.equal(parsePinsArgs([]), 'name an action: list, diff or approve');
    assert.equal(parsePinsArgs(['show']), 'unknown action "show"');
    assert.equal(parsePinsArgs(['approve']), 'approve needs a NAME or --all (not both)');
    assert.equal(parsePinsArgs(['approve', 'x', '--all']), 'approve needs a NAME or --all (not both)');
    assert.equal(parsePinsArgs(['list', 'x']), 'list takes no NAME or --all');
    assert.equal(parsePinsArgs(['list', '--url', 'ftp://x']), '--url must be http(s): ftp://x');
  });

  it('exits 2 on a usage error and 3 when the gateway cannot be reached', async () => {
    let err = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => ((err += s), true) }, env: {} } as never;
    assert.equal(await runPins(['nope'], io), 2);
    assert.match(err, /unknown action "nope"/);
    assert.equal(await runPins(['list', '--url', 'http://127.0.0.1:1'], io), 3);
    assert.match(err, /cannot reach vmcp at http:\/\/127\.0\.0\.1:1\/api\/pins/);
  });
});
