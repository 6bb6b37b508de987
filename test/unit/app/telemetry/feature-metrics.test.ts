import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import { featureMetricHandlers } from '../../../../src/app/telemetry/feature-metrics.js';
import type { OptimizerEvent, RateLimitEvent } from '../../../../src/observability/channels.js';

describe('feature metrics', () => {
  it('counts rate-limit decisions and tool-search requests from their channel events', async () => {
    const registry = new Registry();
    const handlers = featureMetricHandlers([registry]);
    for (const [ch, fn] of handlers) ch.subscribe(fn);
    try {
      const [[rl, onRate], [opt, onOpt]] = handlers as unknown as [
        [{ name: string | symbol }, (m: unknown) => void],
        [{ name: string | symbol }, (m: unknown) => void],
      ];
      assert.equal(rl.name, 'vmcp:ratelimit');
      assert.equal(opt.name, 'vmcp:optimizer');
      const rate = (decision: RateLimitEvent['decision'], scope?: string): RateLimitEvent => ({
        decision,
        backend: 'b1',
        tool: 'echo',
        ...(scope ? { scope } : {}),
      });
      onRate(rate('allowed'));
      onRate(rate('rejected', 'perUser'));
      onRate(rate('rejected', 'perUser'));
      const find: OptimizerEvent = { op: 'find_tool', outcome: 'ok', durationMs: 1.5, results: 3, savingsPercent: 97.5 };
      onOpt(find);
      onOpt({ op: 'call_tool', outcome: 'not_found', durationMs: 0.2 });
      onOpt({ op: 'call_tool', outcome: 'error', durationMs: 3, tool: 'b1_echo' });
      const text = await registry.metrics();
      assert.match(text, /vmcp_rate_limit_decisions_total\{decision="allowed",scope="all",target_workload_name="b1"\} 1/);
      assert.match(text, /vmcp_rate_limit_decisions_total\{decision="rejected",scope="perUser",target_workload_name="b1"\} 2/);
      assert.match(text, /toolhive_vmcp_optimizer_find_tool_requests 1/);
      assert.match(text, /toolhive_vmcp_optimizer_find_tool_results_sum 3/);
      assert.match(text, /toolhive_vmcp_optimizer_call_tool_requests 2/);
      assert.match(text, /toolhive_vmcp_optimizer_call_tool_not_found 1/);
      assert.match(text, /toolhive_vmcp_optimizer_call_tool_errors 1/);
      assert.match(text, /toolhive_vmcp_optimizer_token_savings_percent 97.5/);
    } finally {
      for (const [ch, fn] of handlers) ch.unsubscribe(fn);
    }
  });
});
