// `codeMode:` in the config file: ToolHive's keys with its defaults, the sandbox's own limits,
// sizes as bytes or binary units, and errors that name the key.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../src/config/load.js';
import { CODE_MODE_DEFAULTS, parseByteSize } from '../../../src/config/schema-codemode.js';

function load(codeMode: string) {
  const { config, issues } = loadConfigText(`name: gw\nbackends: []\ncodeMode: ${codeMode}\n`, { env: {} });
  return { config, errors: issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`) };
}

describe('codeMode config', () => {
  it('is absent from the runtime config unless enabled', () => {
    assert.equal(load('{ enabled: false, stepLimit: 5 }').config?.codeMode, undefined);
    assert.equal(loadConfigText('name: gw\nbackends: []\n', { env: {} }).config?.codeMode, undefined);
  });

  it('fills ToolHive’s defaults and the sandbox limits when enabled', () => {
    assert.deepEqual(load('{ enabled: true }').config?.codeMode, {
      stepLimit: 100_000,
      parallelMaxConcurrency: 10,
      toolCallTimeoutMs: 30_000,
      scriptTimeoutMs: 60_000,
      memoryLimitBytes: 64 * 1024 * 1024,
      maxToolCalls: 1000,
      maxPendingCalls: 100,
      maxResultBytes: 1024 * 1024,
      workers: 2,
    });
    assert.equal(CODE_MODE_DEFAULTS.memoryLimit, '64MiB');
  });

  it('takes every key, sizes as bytes or with binary units', () => {
    const codeMode = load(
      '{ enabled: true, stepLimit: 5000, parallelMaxConcurrency: 3, toolCallTimeout: 5s, scriptTimeout: 2m, memoryLimit: 33554432, maxToolCalls: 20, maxPendingCalls: 7, maxResultSize: 512KiB, workers: 4 }',
    ).config?.codeMode;
    assert.deepEqual(codeMode, {
      stepLimit: 5000,
      parallelMaxConcurrency: 3,
      toolCallTimeoutMs: 5000,
      scriptTimeoutMs: 120_000,
      memoryLimitBytes: 32 * 1024 * 1024,
      maxToolCalls: 20,
      maxPendingCalls: 7,
      maxResultBytes: 512 * 1024,
      workers: 4,
    });
    assert.equal(parseByteSize('1GiB'), 1024 ** 3);
  });

  it('names the key of each bad value', () => {
    const { errors } = load(
      '{ enabled: true, memoryLimit: 64MB, maxResultSize: 2GiB, scriptTimeout: 0s, workers: 0, stepLimit: -1, extra: 1 }',
    );
    for (const expected of [
      /^codeMode\.memoryLimit: must be bytes or a size such as "512KiB"/,
      /^codeMode\.maxResultSize: must be between 1KiB and 64MiB/,
      /^codeMode\.scriptTimeout: must be longer than 0/,
      /^codeMode\.workers: /,
      /^codeMode\.stepLimit: /,
      /^codeMode(\.extra)?: .*extra/,
    ]) {
      assert.ok(
        errors.some((e) => expected.test(e)),
        `${expected} in\n${errors.join('\n')}`,
      );
    }
  });
});
