// `vmcp pins list | diff | approve NAME [--all] [--url URL] [--json]`: the tool pins of a running
// gateway (its /api/pins routes). list shows every pin and whether it changed or is held back; diff
// shows each changed tool's description and schemas, pinned against current; approve makes the
// current definitions the pins (NAME: backend/tool, the name clients use, or a backend).
// Exit codes: 0 done (diff: no changes), 1 diff found changes / approve matched nothing,
// 2 usage error, 3 the gateway cannot be reached or refused the request.
import { parseArgs } from 'node:util';
import type { FieldDiff } from '../aggregation/pinning/diff.js';
import { renderDiff } from '../aggregation/pinning/diff.js';
import { DEFAULT_STATUS_URL, statusUrl } from './status.js';
import { renderTable } from './table.js';
import { answerUsage, type CliIo } from './io.js';

export const PINS_USAGE = `usage: vmcp pins list | diff | approve NAME [--all] [--url URL] [--json]
  list           every pinned tool: pinned or changed, held back or served
  diff           what changed in each changed tool (description, schemas, annotations), pinned vs now
  approve NAME   accept the current definition: NAME is backend/tool, the tool's name as clients see it,
                 or a backend (all its changes, and its quarantine lifted); --all approves every change
  --url, -u      the gateway's base URL or its /mcp URL (default ${DEFAULT_STATUS_URL})
  --json         print the gateway's answer as received
  a bearer token for the gateway is read from VMCP_TOKEN (never printed)
  exit codes: 0 done (diff: nothing changed), 1 diff found changes or approve matched nothing,
              2 usage error, 3 gateway unreachable or request refused
`;

interface PinsArgs {
  readonly action: 'list' | 'diff' | 'approve';
  readonly name?: string;
  readonly all: boolean;
  readonly base: string;
  readonly json: boolean;
}

interface PinRow {
  key: string;
  advertised?: string;
  status: string;
  held: boolean;
  hash: string;
  pinnedAt: string;
  currentHash?: string;
}

interface Change {
  key: string;
  advertised?: string;
  held: boolean;
  pinnedAt?: string;
  changedAt: string;
  fields: FieldDiff[];
}

const TIMEOUT_MS = 10_000;

export async function runPins(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parsePinsArgs(args);
  if (typeof parsed === 'string') return answerUsage(io, 'pins', PINS_USAGE, parsed);
  const path = parsed.action === 'list' ? '/api/pins' : parsed.action === 'diff' ? '/api/pins/diff' : '/api/pins/approve';
  const body = parsed.action === 'approve' ? (parsed.all ? { all: true } : { name: parsed.name }) : undefined;
  const answer = await request(`${parsed.base}${path}`, io.env['VMCP_TOKEN'], body);
  if ('error' in answer) {
    io.stderr.write(`vmcp pins: ${answer.error}\n`);
    return answer.status === 404 ? 1 : 3;
  }
  if (parsed.json) io.stdout.write(`${JSON.stringify(answer.value, null, 2)}\n`);
  const value = answer.value as Record<string, unknown>;
  switch (parsed.action) {
    case 'list':
      if (!parsed.json) io.stdout.write(renderList(value));
      return 0;
    case 'diff': {
      const changes = (value['changes'] ?? []) as Change[];
      if (!parsed.json) io.stdout.write(renderChanges(changes));
      return changes.length > 0 ? 1 : 0;
    }
    case 'approve': {
      const approved = (value['approved'] ?? []) as string[];
      const released = (value['released'] ?? []) as string[];
      if (!parsed.json) {
        io.stdout.write(approved.length === 0 ? 'nothing to approve\n' : `approved: ${approved.join(', ')}\n`);
        if (released.length > 0) io.stdout.write(`released from quarantine: ${released.join(', ')}\n`);
      }
      return 0;
    }
  }
}

export function renderList(value: Record<string, unknown>): string {
  const pins = (value['pins'] ?? []) as PinRow[];
  const quarantined = (value['quarantined'] ?? []) as { backend: string; reason: string }[];
  const head = `policy ${String(value['policy'])} · store ${String(value['store'])} · ${pins.length} pinned, ${String(value['held'] ?? 0)} held back\n`;
  const rows = pins.map((p) => [p.key, p.advertised ?? '-', p.status, p.held ? 'held' : 'served', short(p.hash), p.pinnedAt]);
  const table =
    pins.length === 0 ? 'no tools pinned yet\n' : renderTable(['PIN', 'CLIENT NAME', 'STATUS', 'STATE', 'HASH', 'PINNED AT'], rows);
  const q = quarantined.map((b) => `quarantined: ${b.backend} (${b.reason})\n`).join('');
  return `${head}${table}${q}`;
}

export function renderChanges(changes: readonly Change[]): string {
  if (changes.length === 0) return 'no pinned tool has changed\n';
  return changes
    .map((c) => {
      const name = c.advertised && c.advertised !== c.key ? ` (clients: ${c.advertised})` : '';
      return `${c.key}${name} — ${c.held ? 'held back' : 'still served'}, changed ${c.changedAt}, pinned ${c.pinnedAt ?? '?'}\n${renderDiff(c.fields)}`;
    })
    .join('\n');
}

function short(hash: string): string {
  return hash.replace(/^sha256:/, '').slice(0, 12);
}

export function parsePinsArgs(args: readonly string[]): PinsArgs | 'help' | string {
  let values: { url?: string; all?: boolean; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        url: { type: 'string', short: 'u' },
        all: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return (err as Error).message;
  }
  if (values.help) return 'help';
  const [action, name, ...extra] = positionals;
  if (action !== 'list' && action !== 'diff' && action !== 'approve')
    return action === undefined ? 'name an action: list, diff or approve' : `unknown action "${action}"`;
  if (action !== 'approve' && (name !== undefined || values.all)) return `${action} takes no NAME or --all`;
  if (action === 'approve' && (name === undefined) === !values.all) return 'approve needs a NAME or --all (not both)';
  if (extra.length > 0) return `unexpected argument "${extra[0]}"`;
  let base: string;
  try {
    base = statusUrl(values.url ?? DEFAULT_STATUS_URL).replace(/\/status$/, '');
  } catch (err) {
    return (err as Error).message;
  }
  return { action, ...(name === undefined ? {} : { name }), all: values.all ?? false, base, json: values.json ?? false };
}

async function request(
  url: string,
  token: string | undefined,
  body: unknown,
): Promise<{ value: unknown } | { error: string; status?: number }> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers['authorization'] = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    text = await res.text();
  } catch (err) {
    return { error: `cannot reach vmcp at ${url}: ${err instanceof Error ? err.message : String(err)}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: `vmcp at ${url} answered HTTP ${res.status} without JSON`, status: res.status };
  }
  if (res.ok) return { value };
  const own = (value as { error?: unknown } | null)?.error;
  if (typeof own === 'string') return { error: `vmcp at ${url} answered HTTP ${res.status}: ${own}`, status: res.status };
  const message = (own as { message?: unknown } | undefined)?.message;
  const hint = res.status === 404 ? ' (is aggregation.pinning set on that gateway?)' : '';
  return { error: `vmcp at ${url} answered HTTP ${res.status}: ${typeof message === 'string' ? message : 'no message'}${hint}` };
}
