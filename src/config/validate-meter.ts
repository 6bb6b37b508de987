// Cross-field rules of `rateLimiting:`: a perUser bucket needs callers who are somebody (ToolHive
// refuses perUser without incoming authentication: cmd/thv-operator/api/v1beta1/
// virtualmcpserver_types.go), and one tools[] entry per tool.
import { isRecord } from './expand-env.js';
import { error } from './issues.js';
import type { RawIssue } from './issues.js';

const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

export function rateLimitIssues(data: Record<string, unknown>): RawIssue[] {
  if (!isRecord(data.rateLimiting)) return [];
  const rl = data.rateLimiting;
  const auth = rec(data.incomingAuth);
  const authenticates = auth.type === 'oidc' || (Array.isArray(auth.apiKeys) && auth.apiKeys.length > 0);
  const need = 'needs authenticated callers: set incomingAuth.type: oidc or incomingAuth.apiKeys (anonymous callers have no user to count)';
  const issues: RawIssue[] = [];
  if (rl.perUser !== undefined && !authenticates) issues.push(error(['rateLimiting', 'perUser'], need, true));
  const seen = new Map<string, number>();
  (Array.isArray(rl.tools) ? rl.tools : []).forEach((tool: unknown, i) => {
    const t = rec(tool);
    if (t.perUser !== undefined && !authenticates) issues.push(error(['rateLimiting', 'tools', i, 'perUser'], need, true));
    if (typeof t.name !== 'string') return;
    const first = seen.get(t.name);
    if (first === undefined) seen.set(t.name, i);
    else issues.push(error(['rateLimiting', 'tools', i, 'name'], `duplicate tool "${t.name}": rateLimiting.tools[${first}] and [${i}]`));
  });
  return issues;
}
