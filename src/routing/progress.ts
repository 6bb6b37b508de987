// The client's progress token never reaches a backend: the connector sends a token of the
// gateway's own (two clients' tokens could collide on a shared backend), and the client's sink
// delivers progress under the client's token. Only the token is removed; the rest of _meta passes.
import type { JsonObject } from '../protocol/index.js';

export function splitProgressToken(params: JsonObject): JsonObject {
  const meta = params['_meta'] as JsonObject | undefined;
  if (!meta || !('progressToken' in meta)) return params;
  const { progressToken: _client, ...rest } = meta;
  const { _meta: _old, ...out } = params;
  return Object.keys(rest).length > 0 ? { ...out, _meta: rest } : out;
}

/** The client's progress token of a request, if it asked for progress. */
export function progressTokenOf(params: JsonObject | undefined): string | number | undefined {
  const token = (params?.['_meta'] as JsonObject | undefined)?.['progressToken'];
  return typeof token === 'string' || typeof token === 'number' ? token : undefined;
}
