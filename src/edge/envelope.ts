// What is wrong with a JSON-RPC message's envelope (JSON-RPC 2.0 and MCP "Base protocol"), or
// undefined when it is well formed: a well-formed body with a bad envelope is an Invalid Request
// (-32600), never a Parse error. Built-in methods' params are checked by their handlers (-32602).
import { isObject } from '../protocol/index.js';

/** MCP caps a batch as the SDK does: enough for any client, bounded for the gateway. */
export const MAX_BATCH = 100;

export function envelopeProblem(body: unknown): string | undefined {
  if (!Array.isArray(body)) return messageProblem(body);
  if (body.length === 0) return 'empty batch';
  if (body.length > MAX_BATCH) return `a batch holds at most ${MAX_BATCH} messages`;
  for (const [i, m] of body.entries()) {
    const p = messageProblem(m);
    if (p) return `batch[${i}]: ${p}`;
  }
  return undefined;
}

function messageProblem(m: unknown): string | undefined {
  if (!isObject(m)) return 'a JSON-RPC message must be an object';
  if (m['jsonrpc'] !== '2.0') return '"jsonrpc" must be "2.0"';
  const id = m['id'];
  if (id !== undefined && !isId(id)) return '"id" must be a string or an integer';
  if ('method' in m) return requestProblem(m);
  if ('result' in m)
    return id === undefined ? 'a response needs an "id"' : isObject(m['result']) ? undefined : '"result" must be an object';
  if ('error' in m) {
    const e = m['error'];
    if (!isObject(e) || !Number.isInteger(e['code']) || typeof e['message'] !== 'string')
      return '"error" needs an integer "code" and a "message"';
    return undefined;
  }
  return 'a message needs "method" (request/notification) or "result"/"error" (response)';
}

function requestProblem(m: Record<string, unknown>): string | undefined {
  if (typeof m['method'] !== 'string' || m['method'] === '') return '"method" must be a non-empty string';
  const params = m['params'];
  if (params === undefined) return undefined;
  if (!isObject(params)) return '"params" must be an object';
  const meta = params['_meta'];
  if (meta !== undefined && !isObject(meta)) return '"params._meta" must be an object';
  return undefined;
}

function isId(id: unknown): boolean {
  return typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id));
}
