// What changes on the way to and from a 2026-07-28 backend (the v2 Client does the rest):
//  - `ping` is gone from that revision; the health probe's ping becomes `server/discover`, the
//    cheapest real exchange left, and its answer becomes ping's empty result;
//  - the backend stamps its identity into every result's _meta; the client must see the
//    gateway's (the edge stamps it), not the backend's (sdk-v2.md gotcha 6).
import { SERVER_INFO_META_KEY } from '@modelcontextprotocol/client';
import { speaksModern, type BackendInfo, type JsonObject, type RpcRequest } from './connector.js';

export function toBackendWire(req: RpcRequest, info: BackendInfo | undefined): RpcRequest {
  return req.method === 'ping' && speaksModern(info) ? { method: 'server/discover', params: {} } : req;
}

export function fromBackendWire(req: RpcRequest, result: JsonObject): JsonObject {
  if (req.method === 'ping') return {};
  const meta = result['_meta'] as JsonObject | undefined;
  if (!meta || !(SERVER_INFO_META_KEY in meta)) return result;
  const { [SERVER_INFO_META_KEY]: _backend, ...rest } = meta;
  const { _meta: _old, ...out } = result;
  return Object.keys(rest).length > 0 ? { ...out, _meta: rest } : out;
}
