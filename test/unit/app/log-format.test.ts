import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatLine } from '../../../src/app/log-format.js';

describe('pretty log format', () => {
  it('turns a pino JSON line into time, level, message and fields', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 1, 12, 30, 5, 7),
      service: 'vmcp',
      backend: 'gh',
      retryInMs: 500,
      msg: 'backend gh: ready → down',
    });
    assert.equal(formatLine(line, false), '12:30:05.007 WARN  backend gh: ready → down  backend=gh retryInMs=500');
  });

  it('passes through lines that are not JSON', () => {
    assert.equal(formatLine('plain text', false), 'plain text');
  });
});
