// Metrics of the optional features, fed by their diagnostics channels: rate-limit decisions and
// tool search (ToolHive's `toolhive_vmcp_optimizer_*` names). Tool labels come only from calls that
// ran (`OptimizerEvent.tool` is set only then), so a caller's made-up name never becomes a label.
import type diagnostics from 'node:diagnostics_channel';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { channels, type OptimizerEvent, type RateLimitEvent } from '../../observability/channels.js';
import { DURATION_BUCKETS } from './metrics.js';

type Handler = [diagnostics.Channel, (m: unknown) => void];

const SECONDS = [...DURATION_BUCKETS];

export function featureMetricHandlers(registers: Registry[]): Handler[] {
  const rateLimit = new Counter({
    name: 'vmcp_rate_limit_decisions_total',
    help: 'Rate-limit decisions on tools/call, by decision (allowed, rejected, error = store failed, allowed) and bucket scope.',
    labelNames: ['decision', 'scope', 'target_workload_name'] as const,
    registers,
  });
  const optimizer = optimizerMetrics(registers);
  return [
    [
      channels.rateLimit,
      (m) => {
        const e = m as RateLimitEvent;
        rateLimit.inc({ decision: e.decision, scope: e.scope ?? 'all', target_workload_name: e.backend });
      },
    ],
    [channels.optimizer, (m) => optimizer(m as OptimizerEvent)],
  ];
}

function optimizerMetrics(registers: Registry[]): (e: OptimizerEvent) => void {
  const counter = (name: string, help: string) => new Counter({ name, help, registers });
  const find = {
    requests: counter('toolhive_vmcp_optimizer_find_tool_requests', 'find_tool requests.'),
    errors: counter('toolhive_vmcp_optimizer_find_tool_errors', 'find_tool requests that failed.'),
    duration: new Histogram({
      name: 'toolhive_vmcp_optimizer_find_tool_duration',
      help: 'find_tool duration (s).',
      buckets: SECONDS,
      registers,
    }),
    results: new Histogram({
      name: 'toolhive_vmcp_optimizer_find_tool_results',
      help: 'Tools returned per find_tool.',
      buckets: [0, 1, 2, 4, 8, 16, 32, 50],
      registers,
    }),
  };
  const call = {
    requests: counter('toolhive_vmcp_optimizer_call_tool_requests', 'call_tool requests.'),
    errors: counter('toolhive_vmcp_optimizer_call_tool_errors', 'call_tool requests that failed.'),
    notFound: counter('toolhive_vmcp_optimizer_call_tool_not_found', 'call_tool requests naming a tool the caller cannot see.'),
    duration: new Histogram({
      name: 'toolhive_vmcp_optimizer_call_tool_duration',
      help: 'call_tool duration (s).',
      buckets: SECONDS,
      registers,
    }),
  };
  const savings = new Gauge({
    name: 'toolhive_vmcp_optimizer_token_savings_percent',
    help: 'Token savings of the last find_tool result against the full tool list (%).',
    registers,
  });
  return (e) => {
    const m = e.op === 'find_tool' ? find : call;
    m.requests.inc();
    m.duration.observe(e.durationMs / 1000);
    if (e.outcome === 'error') m.errors.inc();
    if (e.op === 'call_tool' && e.outcome === 'not_found') call.notFound.inc();
    if (e.op === 'find_tool' && e.results !== undefined) find.results.observe(e.results);
    if (e.savingsPercent !== undefined) savings.set(e.savingsPercent);
  };
}
