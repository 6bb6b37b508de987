// The JSON body of one response, with whole lists serialized once. A catalog's lists are frozen
// arrays that never change while the catalog stands, so the bytes of one (5,000 tools are ~3 MB)
// are kept beside it: every later tools/list of that list, by any session (all of them at once
// after list_changed), writes those bytes again instead of stringifying and encoding the list.
import type { JsonObject } from '../protocol/index.js';
import { isObject } from '../protocol/index.js';

/** Below this many items a list is cheap to serialize and not worth keeping. */
const MIN_KEPT_ITEMS = 64;

const kept = new WeakMap<readonly unknown[], Buffer>();

/** A body to write: plain text, or pieces written one after the other. */
export type JsonBody = string | readonly Buffer[];

export function jsonBody(response: JsonObject): JsonBody {
  const result = response['result'];
  if (!isObject(result)) return JSON.stringify(response);
  const keys = Object.keys(result);
  const list = keys.length === 1 ? result[keys[0]!] : undefined;
  if (!Array.isArray(list) || !Object.isFrozen(list) || list.length < MIN_KEPT_ITEMS) return JSON.stringify(response);
  const { result: _omitted, ...envelope } = response;
  const head = JSON.stringify(envelope);
  if (head.length < 3) return JSON.stringify(response);
  let bytes = kept.get(list);
  if (!bytes) {
    bytes = Buffer.from(JSON.stringify(list));
    kept.set(list, bytes);
  }
  // `{"jsonrpc":"2.0","id":1` + `,"result":{"tools":` + the list + `}}`
  return [Buffer.from(`${head.slice(0, -1)},"result":{${JSON.stringify(keys[0])}:`), bytes, Buffer.from('}}')];
}

export function bodyLength(body: JsonBody): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.reduce((n, b) => n + b.length, 0);
}
