// Tool pinning metrics, fed by the pin channel: every detected change of a pinned tool (by backend,
// backend tool name and the policy in force) and approval, and how many tools are held back now.
// Tool labels come only from tools a configured backend listed, never from a caller.
import type diagnostics from 'node:diagnostics_channel';
import { Counter, Gauge, type Registry } from 'prom-client';
import { channels, type PinEvent } from '../../observability/channels.js';

export function pinMetricHandlers(registers: Registry[]): [diagnostics.Channel, (m: unknown) => void][] {
  const changes = new Counter({
    name: 'vmcp_tool_pin_changes_total',
    help: 'Pinned tool definitions a backend changed, by backend, backend tool name and pinning policy.',
    labelNames: ['backend', 'tool', 'policy'] as const,
    registers,
  });
  const approvals = new Counter({
    name: 'vmcp_tool_pin_approvals_total',
    help: 'Changed tool definitions approved (vmcp pins approve), by backend and backend tool name.',
    labelNames: ['backend', 'tool'] as const,
    registers,
  });
  const held = new Gauge({
    name: 'vmcp_tool_pins_held',
    help: 'Tools held back from the lists by tool pinning (changed, or of a quarantined backend).',
    registers,
  });
  return [
    [
      channels.pin,
      (m) => {
        const e = m as PinEvent;
        if (e.kind === 'changed') changes.inc({ backend: e.backend ?? '', tool: e.tool ?? '', policy: e.policy });
        else if (e.kind === 'approved') approvals.inc({ backend: e.backend ?? '', tool: e.tool ?? '' });
        else if (e.kind === 'held') held.set(e.held ?? 0);
      },
    ],
  ];
}
