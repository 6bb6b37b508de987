// Tool pinning in the audit log: one event per detected change of a pinned tool (outcome denied
// when the policy holds it back, success when it is still served) and one per approval, naming
// the backend, the backend's tool name, both hashes and, for approvals, who approved.
import type { AuditConfig, AuditEventType } from '../../config/types.js';
import { channels, type PinEvent } from '../../observability/channels.js';
import { newEvent, type AuditEvent } from './event.js';

export function subscribePinAudit(
  config: AuditConfig,
  wanted: (type: AuditEventType) => boolean,
  write: (e: AuditEvent) => void,
): () => void {
  const onPin = (message: unknown) => {
    const e = message as PinEvent;
    if (e.kind !== 'changed' && e.kind !== 'approved') return;
    const type = e.kind === 'changed' ? 'vmcp_tool_pin_changed' : 'vmcp_tool_pin_approved';
    if (!wanted(type)) return;
    write(
      newEvent(config.component, {
        type,
        outcome: e.kind === 'approved' || e.policy === 'warn' ? 'success' : 'denied',
        source: { type: 'local', value: 'vmcp' },
        subjects: { user: e.kind === 'approved' ? (e.by ?? 'anonymous') : 'system' },
        target: { type: 'tool', name: e.tool ?? '', backend: e.backend ?? '' },
        extra: { policy: e.policy, pinned_hash: e.pinnedHash ?? '', current_hash: e.currentHash ?? '' },
      }),
    );
  };
  channels.pin.subscribe(onPin);
  return () => channels.pin.unsubscribe(onPin);
}
