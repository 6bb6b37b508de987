import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { page } from '../../../src/routing/pagination.js';

const items = Array.from({ length: 7 }, (_, i) => i);

describe('gateway pagination', () => {
  it('walks every item exactly once, in order, with nextCursor only while more remain', () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const p = page('tools/list', items, 3, 3, cursor);
      seen.push(...p.items);
      cursor = p.nextCursor;
      pages += 1;
    } while (cursor);
    assert.deepEqual(seen, items);
    assert.equal(pages, 3);
  });

  it('returns one page without a cursor when everything fits', () => {
    assert.deepEqual(page('tools/list', items, 1, 100, undefined), { items });
  });

  it('returns the whole list in one page when no page size applies', () => {
    assert.deepEqual(page('tools/list', items, 1, undefined, undefined), { items });
  });

  it('rejects a stale cursor (the catalog changed) and one it never issued, clearly', () => {
    const { nextCursor } = page('tools/list', items, 3, 3, undefined);
    assert.throws(() => page('tools/list', items, 4, 3, nextCursor), /cursor is stale/);
    assert.throws(() => page('prompts/list', items, 3, 3, nextCursor), /not a cursor this gateway issued for prompts\/list/);
    assert.throws(() => page('tools/list', items, 3, 3, 'garbage!'), /not a cursor this gateway issued/);
  });
});
