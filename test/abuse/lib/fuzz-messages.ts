// Fuzz cases: real requests of both eras (the ones the gateway serves), then mutated — fields
// dropped or retyped, wrong ids and versions, batches, responses sent as requests, broken JSON
// text, wrong headers, methods and paths. Every case records how it was made, for the report.
import type { Rng } from './fuzz-rng.js';
import { depthValue, hostile, hugeString, numberValue, unicodeString, type Json } from './fuzz-values.js';
import { LEGACY_VERSION, MODERN_META, MODERN_VERSION } from './raw.js';

export type Era = 'legacy' | 'modern';

export interface FuzzCase {
  index: number;
  era: Era;
  httpMethod: string;
  path: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  /** How the case was made: base request, then each mutation. */
  trace: string[];
}

type Msg = { [k: string]: Json };

/** Tools that answer at once whatever their arguments (no sampling, elicitation, long runs or network). */
const TOOLS = ['fz_echo', 'ev_echo', 'ev_get-sum', 'ev_get-tiny-image', 'ev_get-structured-content', 'ev_get-annotated-message'];
const PROMPTS = ['ev_simple-prompt', 'ev_args-prompt', 'ev_completable-prompt', 'ev_resource-prompt'];
const URIS = [
  'demo://resource/static/document/architecture.md',
  'demo://resource/dynamic/text/1',
  'demo://resource/dynamic/blob/2',
  'file:///etc/passwd',
];
const METHODS = ['tools/list', 'tools/call', 'prompts/list', 'prompts/get', 'resources/list', 'resources/read', 'resources/templates/list'];
const ODD_METHODS = [
  '',
  'rpc.discover',
  'tools/',
  'TOOLS/LIST',
  'tools/list\u0000',
  'x'.repeat(5000),
  'notifications/initialized',
  '__proto__',
];

function base(rng: Rng, era: Era, id: number): [string, Msg] {
  const name = rng.pick(TOOLS);
  const params: Record<Era, () => [string, Msg]>[] = [
    { legacy: () => ['ping', {}], modern: () => ['server/discover', {}] },
    { legacy: () => ['tools/list', {}], modern: () => ['tools/list', {}] },
    {
      legacy: () => ['tools/call', { name, arguments: toolArgs(rng, name) }],
      modern: () => ['tools/call', { name, arguments: toolArgs(rng, name) }],
    },
    { legacy: () => ['prompts/list', {}], modern: () => ['prompts/list', {}] },
    { legacy: () => ['prompts/get', promptParams(rng)], modern: () => ['prompts/get', promptParams(rng)] },
    { legacy: () => ['resources/list', {}], modern: () => ['resources/list', { cursor: 'bm90LWEtY3Vyc29y' }] },
    { legacy: () => ['resources/read', { uri: rng.pick(URIS) }], modern: () => ['resources/read', { uri: rng.pick(URIS) }] },
    { legacy: () => ['resources/templates/list', {}], modern: () => ['resources/templates/list', {}] },
    {
      legacy: () => ['completion/complete', completeParams(rng)],
      modern: () => ['completion/complete', completeParams(rng)],
    },
    { legacy: () => ['logging/setLevel', { level: rng.pick(['debug', 'info', 'error']) }], modern: () => ['tools/list', {}] },
    { legacy: () => ['initialize', initParams(rng)], modern: () => ['initialize', initParams(rng)] },
    {
      legacy: () => ['notifications/cancelled', { requestId: `never-sent-${id}`, reason: 'fuzz' }],
      modern: () => ['notifications/cancelled', { requestId: `never-sent-${id}` }],
    },
    { legacy: () => ['notifications/roots/list_changed', {}], modern: () => ['notifications/roots/list_changed', {}] },
  ];
  const [method, p] = rng.pick(params)[era]();
  const notification = method.startsWith('notifications/');
  const msg: Msg = { jsonrpc: '2.0', ...(notification ? {} : { id }), method, params: era === 'modern' ? { ...p, _meta: MODERN_META } : p };
  return [method, msg];
}

function toolArgs(rng: Rng, name: string): Json {
  if (name.endsWith('get-sum')) return { a: rng.int(100), b: rng.int(100) };
  if (name.endsWith('get-structured-content')) return { location: rng.pick(['New York', 'Chicago', 'Los Angeles']) };
  if (name.endsWith('get-annotated-message'))
    return { messageType: rng.pick(['error', 'success', 'debug']), includeImage: rng.chance(0.5) };
  return { message: rng.chance(0.7) ? `fuzz ${rng.int(1e6)}` : unicodeString(rng).value };
}

const promptParams = (rng: Rng): Msg => ({
  name: rng.pick(PROMPTS),
  arguments: { city: 'Oslo', department: 'Engineering', resourceType: 'Text', resourceId: '1' },
});
const completeParams = (rng: Rng): Msg => ({
  ref: { type: 'ref/prompt', name: 'ev_completable-prompt' },
  argument: { name: 'department', value: rng.pick(['E', 'Sa', '', 'ü']) },
});
const initParams = (rng: Rng): Msg => ({
  protocolVersion: rng.pick([LEGACY_VERSION, '2025-06-18', '2024-11-05', MODERN_VERSION]),
  capabilities: {},
  clientInfo: { name: 'fuzz', version: '1' },
});

/** Paths inside a message where a mutation can land. */
const SLOTS = [
  'jsonrpc',
  'id',
  'method',
  'params',
  'params.name',
  'params.arguments',
  'params._meta',
  'params.uri',
  'params.cursor',
  'params.level',
];

function setPath(msg: Msg, path: string, value: Json | undefined): void {
  const keys = path.split('.');
  let target: Msg = msg;
  for (const k of keys.slice(0, -1)) {
    const next = target[k];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) return;
    target = next as Msg;
  }
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete target[last];
  else target[last] = value;
}

/** Mutations of the message object; each returns its label. */
function mutateMessage(rng: Rng, msg: Msg, id: number): string {
  return rng.weighted<() => string>([
    [4, () => dropField(rng, msg)],
    [6, () => retype(rng, msg)],
    [3, () => wrongId(rng, msg)],
    [2, () => ((msg['jsonrpc'] = rng.pick(['1.0', '2', 2, '2.0 ', null])), `jsonrpc=${JSON.stringify(msg['jsonrpc'])}`)],
    [2, () => ((msg['method'] = rng.pick([...METHODS, ...ODD_METHODS])), `method=${String(msg['method']).slice(0, 30)}`)],
    [2, () => ((msg[rng.pick(['result', 'error', 'extra', '__proto__'])] = hostile(rng).value), 'extra top-level field')],
    [1, () => (delete msg['method'], (msg['result'] = {}), `response-shaped (id ${id})`)],
    [2, () => meta(rng, msg)],
  ])();
}

function dropField(rng: Rng, msg: Msg): string {
  const slot = rng.pick(SLOTS);
  setPath(msg, slot, undefined);
  return `drop ${slot}`;
}

function retype(rng: Rng, msg: Msg): string {
  const slot = rng.pick(SLOTS);
  const v = rng.weighted([
    [10, () => hostile(rng)],
    [1, () => hugeString(rng)],
    [1, () => depthValue(rng)],
  ] as const)();
  setPath(msg, slot, v.value);
  return `${slot}=${v.label}`;
}

function wrongId(rng: Rng, msg: Msg): string {
  const v = rng.weighted([
    [2, () => numberValue(rng)],
    [1, () => ({ label: 'id=null', value: null })],
    [1, () => ({ label: 'id={}', value: {} as Json })],
    [1, () => ({ label: 'id=[1]', value: [1] as Json })],
    [1, () => ({ label: 'id=true', value: true })],
    [1, () => unicodeString(rng)],
    [1, () => ({ label: 'id=string(10000)', value: 'i'.repeat(10_000) })],
  ] as const)();
  msg['id'] = v.value;
  return `id=${v.label}`;
}

function meta(rng: Rng, msg: Msg): string {
  const params = msg['params'];
  if (typeof params !== 'object' || params === null || Array.isArray(params)) return 'meta (no params)';
  const v = hostile(rng);
  const key = rng.pick(['progressToken', 'io.modelcontextprotocol/protocolVersion', 'io.modelcontextprotocol/clientCapabilities', 'x']);
  const m = params['_meta'];
  params['_meta'] = { ...(typeof m === 'object' && m !== null && !Array.isArray(m) ? m : {}), [key]: v.value };
  return `_meta.${key}=${v.label}`;
}

export { base, mutateMessage, type Msg };
