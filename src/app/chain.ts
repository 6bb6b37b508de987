// THE request chain: every cross-cutting behaviour around a call, in order, as one visible list
// (docs/architecture.md, "The request chain"). Each entry is a `(next) => next` middleware over a
// ResolvedCall; the last hands the call to its target.
import type { RuntimeConfig } from '../config/types.js';
import type { HealthMonitor } from '../health/monitor.js';
import { compose, type CallHandler, type CallMiddleware } from '../routing/context.js';
import { authorize, type Authorizer } from '../routing/middleware/authorize.js';
import { circuitGate } from '../routing/middleware/circuit-gate.js';
import { connection, type ConnectorRegistry } from '../routing/middleware/connection.js';
import { deadline } from '../routing/middleware/deadline.js';
import { observe } from '../routing/middleware/observe.js';
import { schedule } from '../routing/middleware/schedule.js';
import { send } from '../routing/send.js';
import { healthGate } from './health.js';

export interface ChainParts {
  config: RuntimeConfig;
  monitor: HealthMonitor;
  registry: ConnectorRegistry;
  authorizer?: Authorizer;
  /** Added by later features (metrics, tracing, audit, rate limits), each in its place. */
  extra?: { readonly outer?: readonly CallMiddleware[]; readonly beforeBackend?: readonly CallMiddleware[] };
}

export function buildChain(parts: ChainParts): CallHandler {
  const timeouts = new Map(parts.config.backends.map((b) => [b.name, b.requestTimeoutMs]));
  const list: CallMiddleware[] = [
    observe(), // publishes every call (logs, metrics, traces and audit subscribe)
    ...(parts.extra?.outer ?? []),
    ...(parts.authorizer ? [authorize(parts.authorizer)] : []), // Cedar: may this principal call it?
    ...(parts.extra?.beforeBackend ?? []),
    circuitGate(healthGate(parts.monitor)), // open circuit → fail fast; outcomes feed health
    connection(parts.registry), // the shared connection, or the caller's own (per-user backends)
    deadline((backend) => timeouts.get(backend) ?? 60_000), // request timeout, reset by progress
    schedule(), // session-affine admission on shared stdio connections
  ];
  return compose(...list)(send);
}
