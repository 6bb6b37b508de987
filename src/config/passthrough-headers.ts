// `passthroughHeaders` (ToolHive key): client request headers copied to every HTTP backend
// request. Names that would let a client corrupt the exchange, spoof where a request came from,
// or hand its credentials to every backend are refused here, each with the reason.
import { isRecord } from './expand-env.js';
import { error, warning } from './issues.js';
import type { RawIssue } from './issues.js';

const HOP_BY_HOP = "a hop-by-hop header: it describes the connection to the gateway, not the gateway's connection to a backend";
const MANAGED = 'the gateway manages it for each backend session';

const REFUSED: Readonly<Record<string, string>> = {
  connection: HOP_BY_HOP,
  'keep-alive': HOP_BY_HOP,
  te: HOP_BY_HOP,
  trailer: HOP_BY_HOP,
  'transfer-encoding': `${HOP_BY_HOP} (and a request-smuggling vector)`,
  upgrade: HOP_BY_HOP,
  'http2-settings': HOP_BY_HOP,
  host: "it names the gateway; a backend's Host comes from its url",
  'content-length': 'framing: the gateway sets it for the body it sends (and a request-smuggling vector)',
  forwarded: 'it would let a client claim any origin address',
  'x-real-ip': 'it would let a client claim any origin address',
  authorization:
    "credentials: copying the caller's credentials to every backend leaks them; use outgoingAuth (token_passthrough, token_exchange)",
  cookie: "credentials: copying the caller's cookies to every backend leaks them",
  'mcp-session-id': MANAGED,
  'mcp-protocol-version': MANAGED,
  'mcp-method': MANAGED,
  'mcp-name': MANAGED,
  'last-event-id': MANAGED,
};

const REFUSED_PREFIXES: readonly (readonly [string, string])[] = [
  ['proxy-', `${HOP_BY_HOP} (proxy credentials and proxy connection state)`],
  ['x-forwarded-', 'it would let a client claim any origin address, host or scheme'],
];

/** Why a header may not be passed through, or undefined when it may. */
export function refusedPassthrough(name: string): string | undefined {
  const lower = name.toLowerCase();
  return REFUSED[lower] ?? REFUSED_PREFIXES.find(([prefix]) => lower.startsWith(prefix))?.[1];
}

export function passthroughIssues(data: Record<string, unknown>): RawIssue[] {
  const list = data.passthroughHeaders;
  if (!Array.isArray(list) || list.length === 0) return [];
  const issues: RawIssue[] = [];
  const seen = new Map<string, number>();
  list.forEach((name, i) => {
    if (typeof name !== 'string') return;
    const why = refusedPassthrough(name);
    if (why !== undefined) issues.push(error(['passthroughHeaders', i], `"${name}" cannot be passed through to backends: ${why}`));
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) issues.push(warning(['passthroughHeaders', i], `"${name}" repeats passthroughHeaders[${first}]`));
    else seen.set(name.toLowerCase(), i);
  });
  const backends = (Array.isArray(data.backends) ? data.backends : []).filter((b) => isRecord(b) && b.disabled !== true);
  if (backends.length > 0 && backends.every((b) => isRecord(b) && b.transport === 'stdio')) {
    issues.push(
      warning(['passthroughHeaders'], 'every backend is stdio: headers are only passed to HTTP backends, so this list has no effect'),
    );
  }
  return issues;
}
