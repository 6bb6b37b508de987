// The sink of one client request: where a backend's mid-call traffic for that request goes. A
// relayed request reaches only a 2025-era client that declared the capability it needs; progress
// goes out under the client's own token; log messages respect the client's level (a 2026-07-28
// request gets log messages only when it set a level).
import { randomUUID } from 'node:crypto';
import { ProtocolError } from '@modelcontextprotocol/server';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { JsonRpcCodes, type CallSink, type JsonObject, type RpcNotification, type RpcRequest } from '../protocol/index.js';
import type { SessionInfo } from '../routing/context.js';

/** One client request's notification channel; flush() waits until all of it is on the wire. */
export interface Channel {
  notify(notification: RpcNotification): Promise<void>;
  flush(): Promise<void>;
}

export interface SinkOptions {
  readonly info: SessionInfo;
  /** The client's request this sink belongs to (for messages). */
  readonly method: string;
  readonly channel: Channel;
  readonly progressToken?: string | number | undefined;
  /** A server→client request on this request's stream (2025 era only). */
  readonly send?: (req: RpcRequest, signal: AbortSignal) => Promise<JsonObject>;
  /** What the client declared. */
  readonly declared: () => JsonObject;
}

/** Which client capability a relayed backend→client request needs. */
const REQUIRED_CAPABILITY: Record<string, string> = {
  'sampling/createMessage': 'sampling',
  'elicitation/create': 'elicitation',
  'roots/list': 'roots',
};

const LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

export function clientSink(o: SinkOptions): CallSink {
  const token = o.progressToken;
  return {
    sessionId: o.info.id,
    request: async (req, signal) => {
      if (o.info.era !== 'legacy' || !o.send) {
        throw new ProtocolError(
          JsonRpcCodes.METHOD_NOT_FOUND,
          `vmcp: a 2026-07-28 client can be asked for input only during tools/call, prompts/get or resources/read, so ${req.method} cannot reach it during ${o.method}`,
        );
      }
      assertDeclared(o.declared(), req.method);
      return o.send(toLegacyWire(req), signal);
    },
    notify: (n) => (wanted(o.info, n) ? o.channel.notify(n) : Promise.resolve()),
    ...(token === undefined
      ? {}
      : { progress: (p) => void o.channel.notify({ method: 'notifications/progress', params: { ...p, progressToken: token } }) }),
  };
}

/** A log message below the client's level is not sent; a 2026-07-28 request without a level gets none. */
function wanted(info: SessionInfo, n: RpcNotification): boolean {
  if (n.method !== 'notifications/message') return true;
  if (info.logLevel === undefined) return info.era === 'legacy';
  const level = LEVELS.indexOf(String(n.params?.['level']));
  return level === -1 || level >= LEVELS.indexOf(info.logLevel);
}

/** A 2026-07-28 client's request that would need a capability it did not declare (SEP-2575). */
export function missingCapability(declared: JsonObject, method: string): VmcpError | undefined {
  const needed = REQUIRED_CAPABILITY[method];
  if (!needed || declared[needed]) return undefined;
  return new VmcpError(
    ErrorCodes.MISSING_REQUIRED_CAPABILITY,
    `Missing required client capability: the request did not declare "${needed}", which ${method} needs`,
    { requiredCapabilities: { [needed]: {} } },
  );
}

/** Refuse a relayed request the client cannot serve (it did not declare the capability). */
export function assertDeclared(declared: JsonObject, method: string): void {
  const needed = REQUIRED_CAPABILITY[method];
  if (needed && !declared[needed]) {
    throw new ProtocolError(
      JsonRpcCodes.METHOD_NOT_FOUND,
      `vmcp: the client did not declare the "${needed}" capability, so ${method} cannot be relayed to it`,
    );
  }
}

/**
 * A 2026-07-28 backend's URL-mode elicitation has no elicitationId (its own requestState
 * correlates it); the 2025-era wire requires one, so mint it as the SDK's legacy shim does.
 */
function toLegacyWire(req: RpcRequest): RpcRequest {
  const params = req.params;
  if (req.method !== 'elicitation/create' || params?.['mode'] !== 'url' || params['elicitationId'] !== undefined) return req;
  return { method: req.method, params: { ...params, elicitationId: randomUUID() } };
}
