// Whole fuzz cases: a (possibly mutated) message or batch, serialized and sometimes broken as text,
// with the era's headers (sometimes wrong), HTTP method and path. Generated in order from one
// seeded Rng, so case N is the same on every run with the same seed.
import type { Rng } from './fuzz-rng.js';
import { base, mutateMessage, type Era, type FuzzCase, type Msg } from './fuzz-messages.js';
import { JSON_HEADERS, LEGACY_VERSION, modernHeaders } from './raw.js';

export interface FuzzTargets {
  /** Initialized 2025-era sessions the fuzzer may use (never GET-streamed or deleted). */
  sessions: readonly string[];
  maxBodyBytes: number;
}

/** A UUID-shaped id from the Rng (deterministic, and never a live session's). */
function fakeUuid(rng: Rng): string {
  const hex = () => rng.int(16).toString(16);
  return [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, hex).join('')).join('-');
}

function message(rng: Rng, era: Era, id: number, trace: string[]): Msg {
  const [method, msg] = base(rng, era, id);
  trace.push(`${era} ${method}`);
  if (!rng.chance(0.3)) for (let n = rng.range(1, 3); n > 0; n--) trace.push(mutateMessage(rng, msg, id));
  return msg;
}

/** Break the JSON text itself (so it may no longer parse). */
function mutateText(rng: Rng, text: string, trace: string[], maxBodyBytes: number): string | Buffer {
  const kind = rng.pick(['truncate', 'invalid-utf8', 'bom', 'duplicate-keys', 'bad-number', 'trailing', 'empty', 'deep-text', 'oversize']);
  trace.push(`text:${kind}`);
  switch (kind) {
    case 'truncate':
      return text.slice(0, rng.int(text.length));
    case 'invalid-utf8':
      return Buffer.concat([
        Buffer.from(text.slice(0, text.length >> 1)),
        Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
        Buffer.from(text.slice(text.length >> 1)),
      ]);
    case 'bom':
      return `\ufeff${text}`;
    case 'duplicate-keys':
      return text.replace(/^\{/, '{"id":"dup","method":"tools/list",');
    case 'bad-number':
      return text.replace(/"id":\d+/, `"id":${rng.pick(['1e400', '00012', '-', '0x1F', 'NaN', 'Infinity', '1.', '.5'])}`);
    case 'trailing':
      return `${text}${rng.pick(['}', ']', ',', ' garbage', '\u0000', '{"jsonrpc":"2.0"}'])}`;
    case 'empty':
      return rng.pick(['', ' ', '\n', 'null', '""', '0', 'true']);
    case 'deep-text':
      return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"fz_echo","arguments":${'['.repeat(5000)}${']'.repeat(5000)}}}`;
    default:
      return text.replace(/\}$/, `,"pad":"${'p'.repeat(maxBodyBytes + 1024)}"}`);
  }
}

/** HTTP header values are Latin-1 without control characters; the body's odd names are not sent as headers. */
function headerSafe(value: string): string {
  return /^[\x20-\x7e]{0,1000}$/.test(value) ? value : 'not-a-header-value';
}

function headersFor(rng: Rng, era: Era, body: Msg | Msg[], targets: FuzzTargets): Record<string, string> {
  const first = Array.isArray(body) ? body[0] : body;
  const method = typeof first?.['method'] === 'string' ? first['method'] : 'tools/list';
  if (era === 'modern') {
    const params = first?.['params'] as Msg | undefined;
    const name = typeof params?.['name'] === 'string' ? params['name'] : typeof params?.['uri'] === 'string' ? params['uri'] : undefined;
    return { ...JSON_HEADERS, ...modernHeaders(headerSafe(method), name === undefined ? undefined : headerSafe(name)) };
  }
  const h: Record<string, string> = { ...JSON_HEADERS, 'mcp-protocol-version': LEGACY_VERSION };
  if (method !== 'initialize') h['mcp-session-id'] = rng.pick(targets.sessions);
  return h;
}

function mutateHeaders(rng: Rng, h: Record<string, string>, trace: string[]): void {
  const kind = rng.pick(['content-type', 'accept', 'protocol-version', 'session-id', 'mcp-method', 'mcp-name', 'drop-all']);
  const value = (choices: string[]) => rng.pick(choices);
  const set = (k: string, v: string | undefined) => {
    if (v === undefined) delete h[k];
    else h[k] = v;
    trace.push(`header ${k}=${v === undefined ? '(none)' : v.slice(0, 40)}`);
  };
  if (kind === 'content-type')
    set('content-type', value(['text/plain', 'application/jsonx', 'application/json; charset=latin1', 'multipart/form-data', '']));
  else if (kind === 'accept')
    set('accept', rng.chance(0.3) ? undefined : value(['text/html', '*/*', 'application/json', 'text/event-stream']));
  else if (kind === 'protocol-version')
    set('mcp-protocol-version', rng.chance(0.2) ? undefined : value(['1999-01-01', '2026-07-28', '2025-03-26', 'x'.repeat(2000), ' ']));
  else if (kind === 'session-id')
    set('mcp-session-id', rng.chance(0.2) ? undefined : value([fakeUuid(rng), 'x'.repeat(4000), '../../etc', '']));
  else if (kind === 'mcp-method') set('mcp-method', value(['tools/call', 'initialize', 'nope', '']));
  else if (kind === 'mcp-name') set('mcp-name', value(['ev_echo', 'fz_echo', 'no_such_tool', 'x'.repeat(3000)]));
  else {
    for (const k of Object.keys(h)) delete h[k];
    trace.push('no headers');
  }
}

function caseAt(rng: Rng, index: number, targets: FuzzTargets): FuzzCase {
  const era: Era = rng.pick(['legacy', 'modern']);
  const trace: string[] = [];
  const id = 1000 + index;
  const batch = rng.chance(0.05);
  const body: Msg | Msg[] = batch
    ? Array.from({ length: rng.int(7) }, (_, i) => message(rng, era, id * 10 + i, trace))
    : message(rng, era, id, trace);
  if (batch) trace.unshift(`batch of ${(body as Msg[]).length}`);
  const text = JSON.stringify(body);
  const headers = headersFor(rng, era, body, targets);
  if (rng.chance(0.15)) mutateHeaders(rng, headers, trace);
  let httpMethod = 'POST';
  let path = '/mcp';
  if (rng.chance(0.04)) {
    httpMethod = rng.pick(['GET', 'PUT', 'PATCH', 'OPTIONS', 'DELETE', 'HEAD']);
    // A GET with a live session opens a long stream, a DELETE ends it: never with a real id.
    if (httpMethod === 'GET' || httpMethod === 'DELETE') headers['mcp-session-id'] = fakeUuid(rng);
    trace.push(`http ${httpMethod}`);
  }
  if (rng.chance(0.04)) {
    path = rng.pick([
      '/mcp/',
      '/mcp?x=1',
      '/MCP',
      '//mcp',
      '/mcp/../mcp',
      '/status?x=1',
      '/.well-known/oauth-protected-resource',
      '/mcp%00',
    ]);
    trace.push(`path ${path}`);
  }
  const finalBody =
    httpMethod === 'GET' || httpMethod === 'HEAD'
      ? undefined
      : rng.chance(0.15)
        ? mutateText(rng, text, trace, targets.maxBodyBytes)
        : text;
  return { index, era, httpMethod, path, headers, body: finalBody, trace };
}

/** The fuzz cases for `seed`, in order. */
export function* fuzzCases(rng: Rng, count: number, targets: FuzzTargets): Generator<FuzzCase> {
  for (let i = 0; i < count; i++) yield caseAt(rng, i, targets);
}
