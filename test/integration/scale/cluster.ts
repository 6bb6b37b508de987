// Three vmcp replicas (the built CLI, one process each) sharing sessions in a real redis-server,
// behind a real HAProxy in round robin with no stickiness; and a 2025-era SDK client that records
// which replica (the `vmcp-replica` response header) served each of its HTTP requests.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { startCli, type CliGateway } from '../../abuse/lib/cli-gateway.js';
import { stdio } from '../../abuse/lib/config.js';
import { startHaproxy, type Balancer } from '../../helpers/haproxy.js';
import { startRedis, type RedisServer } from '../../helpers/redis.js';

export interface Cluster extends AsyncDisposable {
  redis: RedisServer;
  replicas: CliGateway[];
  lb: Balancer;
}

/** `extra`: more config sections (e.g. incomingAuth), merged over the cluster's own. */
export async function startCluster(count = 3, extra: Record<string, unknown> = {}): Promise<Cluster> {
  const redis = await startRedis();
  const config = {
    name: 'scale',
    backends: [stdio('conf', 'conformance-backend.mjs', ['--transport', 'stdio'])],
    aggregation: { conflictResolution: 'priority', conflictResolutionConfig: { priorityOrder: ['conf'] } },
    sessionStorage: { provider: 'redis', address: redis.address, keyPrefix: 'test:vmcp:' },
    ...extra,
  };
  const ids = Array.from({ length: count }, (_, i) => `r${i + 1}`);
  const started = await Promise.allSettled(ids.map((id) => startCli(config, { env: { VMCP_REPLICA_ID: id } })));
  const replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  let lb: Balancer;
  try {
    const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    lb = await startHaproxy(replicas.map((r, i) => ({ name: ids[i]!, port: Number(new URL(r.url).port) })));
  } catch (err) {
    // Nothing may outlive a failed start (a leftover redis-server keeps the test process alive).
    await Promise.all(replicas.map((r) => r.stop('SIGTERM', 5000)));
    await redis.stop();
    throw err;
  }
  const close = async () => {
    await lb[Symbol.asyncDispose]();
    await Promise.all(replicas.map((r) => r.stop('SIGTERM', 5000)));
    await redis.stop();
  };
  return { redis, replicas, lb, [Symbol.asyncDispose]: close };
}

export interface Served {
  /** The JSON-RPC method, `GET`, `DELETE`, or `answer` (the client's answer to a server request). */
  readonly kind: string;
  readonly replica: string;
  readonly status: number;
}

export type TracedClient = Client & AsyncDisposable & { served: Served[]; sessionId(): string | undefined };

export interface TracedOptions {
  /** 'legacy' (default): a 2025-era client; '2026-07-28': the stateless revision. */
  era?: 'legacy' | '2026-07-28';
  /** Sent on every request, e.g. Authorization. */
  headers?: Record<string, string>;
}

export async function tracedClient(
  url: string,
  capabilities: Record<string, unknown> = {},
  opts: TracedOptions = {},
): Promise<TracedClient> {
  const served: Served[] = [];
  const traced = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await fetch(input, init);
    served.push({ kind: kindOf(init), replica: res.headers.get('vmcp-replica') ?? '?', status: res.status });
    return res;
  };
  const mode = opts.era === '2026-07-28' ? { pin: '2026-07-28' as const } : ('legacy' as const);
  const client = new Client({ name: 'scale-client', version: '1.0.0' }, { capabilities, versionNegotiation: { mode } });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    fetch: traced,
    ...(opts.headers ? { requestInit: { headers: opts.headers } } : {}),
  });
  await client.connect(transport);
  return Object.assign(client, {
    served,
    sessionId: () => transport.sessionId,
    [Symbol.asyncDispose]: () => client.close(),
  });
}

function kindOf(init: RequestInit | undefined): string {
  if (init?.method !== 'POST') return init?.method ?? 'GET';
  try {
    const body = JSON.parse(String(init.body)) as Record<string, unknown>;
    return typeof body['method'] === 'string' ? body['method'] : 'answer';
  } catch {
    return '?';
  }
}

/** The replica that served the last request of `kind`. */
export function lastReplica(client: TracedClient, kind: string): string | undefined {
  return client.served.findLast((s) => s.kind === kind)?.replica;
}
