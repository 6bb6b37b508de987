// The span exporter that reports failed exports: the first failure is a warning with the number of
// spans dropped, further failures at most one warning a minute (injected clock), and one line when
// export works again. The inner exporter is scripted: each export answers with the next result.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { EXPORT_WARNING_INTERVAL_MS, ReportingExporter } from '../../../../src/app/telemetry/reporting-exporter.js';
import { channels, type WarningEvent } from '../../../../src/observability/channels.js';

const FAIL: ExportResult = { code: ExportResultCode.FAILED, error: new Error('connect ECONNREFUSED 127.0.0.1:4318') };
const OK: ExportResult = { code: ExportResultCode.SUCCESS };

test('failed exports are reported once, then at most once a minute, and recovery once', () => {
  const script: ExportResult[] = [FAIL, FAIL, FAIL, OK, OK];
  const inner: SpanExporter = { export: (_spans, done) => done(script.shift()!), shutdown: async () => undefined };
  let now = 1_000_000;
  const exporter = new ReportingExporter(inner, 'http://collector:4318/v1/traces', () => now);
  const warnings: string[] = [];
  const onWarning = (w: unknown) => warnings.push((w as WarningEvent).message);
  subscribe(channels.warning.name, onWarning);
  try {
    const results: ExportResult[] = [];
    const send = (n: number) => exporter.export(new Array<ReadableSpan>(n), (r) => results.push(r));
    send(3);
    assert.deepEqual(warnings, [
      'trace spans are not reaching the collector http://collector:4318/v1/traces: connect ECONNREFUSED 127.0.0.1:4318; 3 span(s) dropped so far',
    ]);
    now += 1000;
    send(2); // within the minute: counted, not repeated
    assert.equal(warnings.length, 1);
    now += EXPORT_WARNING_INTERVAL_MS;
    send(1);
    assert.equal(warnings.length, 2);
    assert.match(warnings[1]!, /; 6 span\(s\) dropped so far$/);
    send(4);
    send(4); // healthy again: said once
    assert.deepEqual(warnings.slice(2), [
      'trace export to http://collector:4318/v1/traces works again (6 span(s) were dropped while it failed)',
    ]);
    assert.deepEqual(
      results.map((r) => r.code),
      [ExportResultCode.FAILED, ExportResultCode.FAILED, ExportResultCode.FAILED, ExportResultCode.SUCCESS, ExportResultCode.SUCCESS],
      'every result is passed on unchanged',
    );
  } finally {
    unsubscribe(channels.warning.name, onWarning);
  }
});
