import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChangeCoalescer } from '../../../src/app/coalescer.js';

describe('list_changed damping', () => {
  it('announces the first change at once and merges a burst into one more announcement', async () => {
    const sent: string[][] = [];
    const c = new ChangeCoalescer(50, (kinds) => sent.push(kinds));
    c.push(['tools']);
    for (let i = 0; i < 20; i++) c.push(i % 2 ? ['tools'] : ['prompts']);
    assert.deepEqual(sent, [['tools']]);
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(sent, [['tools'], ['prompts', 'tools']]);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(sent.length, 2, 'nothing more without new changes');
    c.close();
  });
});
