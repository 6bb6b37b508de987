// The pin API on the gateway port, behind the Host guard and the same incoming auth as /mcp:
//   GET  /api/pins          every pin, its status (pinned | changed), whether it is held back
//   GET  /api/pins/diff     each changed tool: pinned and current definition, a line diff per field
//   POST /api/pins/approve  {"name": "..."} or {"all": true}: the current definitions become the pins
// Only application/json bodies are read (a cross-site form cannot post one), at most 4 KiB.
import type { IncomingMessage } from 'node:http';
import type { Catalog } from '../aggregation/catalog.js';
import { diffDefinitions } from '../aggregation/pinning/diff.js';
import type { PinLedger } from '../aggregation/pinning/ledger.js';
import { selectAll, selectByName, type Selection } from '../aggregation/pinning/select.js';
import type { Principal } from '../auth/types.js';
import type { HttpRoute, Route } from '../edge/http-server.js';
import { sendJson } from '../edge/responses.js';
import { pinKey } from '../state/pin-store.js';

export interface PinRouteDeps {
  readonly ledger: PinLedger;
  readonly where: string;
  /** Including held tools: the names clients know them by. */
  readonly fullCatalog: () => Catalog;
  readonly approve: (selection: Selection, by: Principal | undefined) => Promise<{ approved: string[]; released: string[] }>;
  /** Subjects that may approve; undefined = any admitted caller. */
  readonly approvers: () => readonly string[] | undefined;
}

const MAX_BODY_BYTES = 4096;
const HEADERS = { 'x-content-type-options': 'nosniff' };

export function pinRoutes(deps: PinRouteDeps): ReadonlyMap<string, HttpRoute> {
  const list: Route = (_req, res) => {
    const names = advertisedNames(deps.fullCatalog());
    const { ledger } = deps;
    sendJson(
      res,
      200,
      {
        policy: ledger.policy,
        store: deps.where,
        held: ledger.heldTotal,
        pins: ledger.entries().map((e) => ({ key: pinKey(e.backend, e.tool), ...nameOf(names, e.backend, e.tool), ...e })),
        quarantined: [...ledger.quarantined].map(([backend, q]) => ({ backend, ...q })),
      },
      HEADERS,
    );
  };
  const diff: Route = (_req, res) => {
    const names = advertisedNames(deps.fullCatalog());
    const { ledger } = deps;
    const changes = ledger.changed.map((c) => {
      const pin = ledger.pin(c.backend, c.tool);
      const pinned = pin?.definition ?? {};
      return {
        key: pinKey(c.backend, c.tool),
        backend: c.backend,
        tool: c.tool,
        ...nameOf(names, c.backend, c.tool),
        held: ledger.isHeld(c.backend, c.tool),
        pinnedHash: pin?.hash,
        currentHash: c.hash,
        pinnedAt: pin?.pinnedAt,
        changedAt: c.seenAt,
        fields: diffDefinitions(pinned, c.definition),
        pinned,
        current: c.definition,
      };
    });
    sendJson(res, 200, { policy: ledger.policy, changes }, HEADERS);
  };
  const approve: Route = async (req, res, principal) => {
    const approvers = deps.approvers();
    const who = principal?.subject ?? 'anonymous';
    if (approvers && !approvers.includes(who))
      return sendJson(res, 403, { error: `"${who.slice(0, 100)}" may not approve pin changes (aggregation.pinApprovers)` }, HEADERS);
    const body = await readJson(req);
    if ('error' in body)
      return sendJson(res, body.status, { error: body.error }, body.status === 413 ? { ...HEADERS, connection: 'close' } : HEADERS);
    const { name, all } = body.value as { name?: unknown; all?: unknown };
    if (all !== true && (typeof name !== 'string' || name === ''))
      return sendJson(res, 400, { error: 'the body must be {"name": "<tool or backend>"} or {"all": true}' }, HEADERS);
    const input = { changed: deps.ledger.changed, quarantined: deps.ledger.quarantined, advertised: routeOf(deps.fullCatalog()) };
    const selection = all === true ? selectAll(input) : selectByName(input, name as string);
    if ('error' in selection) return sendJson(res, 404, { error: selection.error }, HEADERS);
    sendJson(res, 200, await deps.approve(selection, principal), HEADERS);
  };
  return new Map<string, HttpRoute>([
    ['/api/pins', { route: list, guarded: true, authenticated: true }],
    ['/api/pins/diff', { route: diff, guarded: true, authenticated: true }],
    ['/api/pins/approve', { route: approve, guarded: true, authenticated: true, methods: ['POST'] }],
  ]);
}

/** `backend/tool` → the name clients know it by. */
function advertisedNames(catalog: Catalog): Map<string, string> {
  const names = new Map<string, string>();
  for (const t of catalog.tools) {
    const name = String(t['name']);
    const route = catalog.tool(name);
    if (route) names.set(pinKey(route.backend, route.name), name);
  }
  return names;
}

function nameOf(names: ReadonlyMap<string, string>, backend: string, tool: string): { advertised?: string } {
  const advertised = names.get(pinKey(backend, tool));
  return advertised === undefined ? {} : { advertised };
}

function routeOf(catalog: Catalog): (name: string) => { backend: string; tool: string } | undefined {
  return (name) => {
    const route = catalog.tool(name);
    return route ? { backend: route.backend, tool: route.name } : undefined;
  };
}

async function readJson(req: IncomingMessage): Promise<{ value: unknown } | { error: string; status: number }> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('application/json')) return { error: 'Content-Type must be application/json', status: 415 };
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { error: `the body is larger than ${MAX_BODY_BYTES} bytes`, status: 413 };
    chunks.push(chunk);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return { error: 'the body must be a JSON object', status: 400 };
    return { value };
  } catch {
    return { error: 'the body is not valid JSON', status: 400 };
  }
}
