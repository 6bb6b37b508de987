// Authorization of calls (Cedar, when configured): the same decision that filters what a principal
// may list gates what it may call — a tool, prompt or resource through any path, including the
// inner calls of composite tools, tool search and scripts. A denied call gets a 403-style error
// naming the action, never the policy (ToolHive's admission seam).
import { ErrorCodes, VmcpError } from '../../errors/codes.js';
import type { Principal } from '../../auth/types.js';
import type { CallMiddleware, ResolvedCall } from '../context.js';

export type AuthzKind = 'tool' | 'prompt' | 'resource';
export type AuthzAction = 'call_tool' | 'get_prompt' | 'read_resource';
export interface AuthzResource {
  kind: AuthzKind;
  name: string;
  backend: string;
  annotations?: Record<string, unknown>;
}

/** What routing needs from an authorizer (implemented by auth/authz/cedar.ts). */
export interface Authorizer {
  authorize(req: { principal: Principal; action: AuthzAction; resource: AuthzResource }): { allowed: boolean; action: string };
  filter<T>(principal: Principal, kind: AuthzKind, items: readonly T[], describe: (item: T) => Omit<AuthzResource, 'kind'>): T[];
}

const GATES: Record<string, { action: AuthzAction; kind: AuthzKind }> = {
  'tools/call': { action: 'call_tool', kind: 'tool' },
  'prompts/get': { action: 'get_prompt', kind: 'prompt' },
  'resources/read': { action: 'read_resource', kind: 'resource' },
  'resources/subscribe': { action: 'read_resource', kind: 'resource' },
};

export function authorize(authorizer: Authorizer): CallMiddleware {
  return (next) => (call) => {
    const gate = GATES[call.method];
    if (gate && call.target.kind !== 'local') check(authorizer, call, gate);
    return next(call);
  };
}

function check(authorizer: Authorizer, call: ResolvedCall, gate: { action: AuthzAction; kind: AuthzKind }): void {
  const target = call.target;
  if (target.kind === 'local') return;
  const backend = target.kind === 'backend' ? target.backend : target.provider;
  const annotations = target.definition?.['annotations'] as Record<string, unknown> | undefined;
  const resource: AuthzResource = { kind: gate.kind, name: target.advertised, backend, ...(annotations ? { annotations } : {}) };
  const decision = authorizer.authorize({ principal: call.ctx.principal, action: gate.action, resource });
  if (!decision.allowed) {
    throw new VmcpError(
      ErrorCodes.FORBIDDEN,
      `Forbidden: ${decision.action} on ${gate.kind} "${target.advertised}" is not permitted by authorization policy`,
      { action: decision.action },
    );
  }
}
