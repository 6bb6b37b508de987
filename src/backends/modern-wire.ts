// What changes on the way to and from a 2026-07-28 backend (the v2 Client does the rest):
//  - `ping` is gone from that revision; the health probe's ping becomes `server/discover`, the
//    cheapest real exchange left, and its answer becomes ping's empty result;
//  - a request carries the *calling client's* capabilities and log level in its `_meta` envelope
//    (the SDK would send the gateway's own; keys we set take precedence), so a backend asks for
//    input or logs only when that client can take it, and otherwise answers as the spec says;
//  - the backend stamps its identity into every result's _meta; the client must see the
//    gateway's (the edge stamps it), not the backend's.
import { SERVER_INFO_META_KEY } from '@modelcontextprotocol/client';
import { META_CLIENT_CAPABILITIES, META_LOG_LEVEL, type JsonObject, type RpcRequest } from '../protocol/index.js';
import { speaksModern, type BackendInfo } from './connector.js';

export interface CallerEnvelope {
  readonly clientCapabilities?: JsonObject;
  readonly logLevel?: string;
}

export function toBackendWire(req: RpcRequest, info: BackendInfo | undefined, caller: CallerEnvelope = {}): RpcRequest {
  if (!speaksModern(info)) return req;
  if (req.method === 'ping') return { method: 'server/discover', params: {} };
  if (caller.clientCapabilities === undefined) return req;
  const meta = { ...(req.params?.['_meta'] as JsonObject | undefined), [META_CLIENT_CAPABILITIES]: caller.clientCapabilities };
  if (caller.logLevel !== undefined) meta[META_LOG_LEVEL] = caller.logLevel;
  return { method: req.method, params: { ...req.params, _meta: meta } };
}

export function fromBackendWire(req: RpcRequest, result: JsonObject): JsonObject {
  if (req.method === 'ping') return {};
  const meta = result['_meta'] as JsonObject | undefined;
  if (!meta || !(SERVER_INFO_META_KEY in meta)) return result;
  const { [SERVER_INFO_META_KEY]: _backend, ...rest } = meta;
  const { _meta: _old, ...out } = result;
  return Object.keys(rest).length > 0 ? { ...out, _meta: rest } : out;
}
