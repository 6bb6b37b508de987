// Which backend messages the connector treats specially, by method name.
import type { ListKind, RpcRequest } from './connector.js';

/** Backend→client requests that belong to a client's call in flight. */
export const RELAYED_REQUESTS = ['sampling/createMessage', 'elicitation/create', 'roots/list'] as const;

export const LIST_CHANGED: Record<string, ListKind> = {
  'notifications/tools/list_changed': 'tools',
  'notifications/prompts/list_changed': 'prompts',
  'notifications/resources/list_changed': 'resources',
};

/** What the scheduler learns per: the tool, prompt or resource a call is about. */
export function callKey(req: RpcRequest): string {
  const target = req.params?.['name'] ?? req.params?.['uri'] ?? '';
  return `${req.method}:${String(target)}`;
}
