// The file pin store: pins written and read back, writes serialized and atomic (no temporary file
// left, the document always whole), a missing file empty, a damaged one an error naming it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilePinStore, type PinRecord } from '../../../src/state/pin-store.js';

const pin = (tool: string, hash = `sha256:${tool}`): PinRecord => ({ backend: 'b', tool, hash, definition: { name: tool }, pinnedAt: 't' });

describe('FilePinStore', () => {
  it('round-trips pins; concurrent saves all land; no temporary file is left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vmcp-pinstore-'));
    try {
      const path = join(dir, 'nested', 'pins.json');
      const store = new FilePinStore(path);
      assert.deepEqual(await store.load(), []);
      await Promise.all([store.save([pin('x')]), store.save([pin('y')]), store.save([pin('x', 'sha256:x2')])]);
      assert.deepEqual(await readdir(join(dir, 'nested')), ['pins.json']);
      const again = await new FilePinStore(path).load();
      assert.deepEqual(
        again.map((p) => [p.tool, p.hash]),
        [
          ['x', 'sha256:x2'],
          ['y', 'sha256:y'],
        ],
      );
      assert.equal(JSON.parse(await readFile(path, 'utf8')).version, 1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a damaged file, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vmcp-pinstore-'));
    try {
      const path = join(dir, 'pins.json');
      await writeFile(path, '{"pins": ');
      await assert.rejects(new FilePinStore(path).load(), new RegExp(`the pin store ${path} is not valid JSON`));
      await writeFile(path, '{"nope": []}');
      await assert.rejects(new FilePinStore(path).load(), /has no "pins" array/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
