// Builds the per-request Cedar entities (principal, resource) from a Principal and a catalog
// entry. Token claims and backend annotations are untrusted input, so only values Cedar can hold
// natively survive: strings, booleans, integers (Cedar Long, i64 — floats are dropped), and
// arrays of strings (→ Set<String>). Nested objects, mixed arrays and null are dropped, which also
// means no claim can smuggle in Cedar's `{"__entity": …}` / `{"__extn": …}` escapes.
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { CedarValueJson, EntityJson, EntityUidJson } from '@cedar-policy/cedar-wasm/nodejs';
import type { Principal } from '../types.js';
import { ANONYMOUS_ID, BACKEND_TYPE, GROUP_TYPE, PRINCIPAL_TYPE, REQUEST_ENTITY_TYPES, RESOURCE_TYPE, type ResourceKind } from './model.js';

/** Keys Cedar's JSON format reads as escapes; a record holding one would not parse as a record. */
const ESCAPE_KEYS: ReadonlySet<string> = new Set(['__entity', '__extn', '__expr']);

export interface ResourceDescription {
  readonly name: string;
  readonly backend: string;
  readonly annotations?: Readonly<Record<string, unknown>> | undefined;
}

/** Keeps the attributes Cedar can represent; see the header for what is dropped and why. */
export function toCedarRecord(source: Readonly<Record<string, unknown>> | undefined): Record<string, CedarValueJson> {
  const out: Record<string, CedarValueJson> = {};
  if (source === undefined || source === null || typeof source !== 'object') return out;
  for (const [key, value] of Object.entries(source)) {
    if (ESCAPE_KEYS.has(key)) continue;
    const converted = toCedarValue(value);
    if (converted !== undefined) out[key] = converted;
  }
  return out;
}

function toCedarValue(value: unknown): CedarValueJson | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return [...new Set(value as string[])];
  return undefined;
}

/** Values of the group claims (a string is one group, an array many); deduplicated. */
export function groupsOf(claims: Readonly<Record<string, unknown>>, groupClaims: readonly string[]): string[] {
  const groups = new Set<string>();
  for (const claim of groupClaims) {
    const value = claims[claim];
    if (typeof value === 'string') groups.add(value);
    else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') groups.add(v);
  }
  return [...groups];
}

/**
 * `Client::"<sub>"` (anonymous → `Client::"anonymous"`) with attributes that are always present,
 * so a policy never trips over a missing one: issuer is "" when the principal has none.
 */
export function principalEntity(principal: Principal, groupClaims: readonly string[]): EntityJson {
  const id = principal.kind === 'anonymous' ? ANONYMOUS_ID : principal.subject;
  return {
    uid: { type: PRINCIPAL_TYPE, id },
    attrs: {
      kind: principal.kind,
      issuer: principal.issuer ?? '',
      scopes: [...new Set(principal.scopes)],
      claims: toCedarRecord(principal.claims),
    },
    parents: groupsOf(principal.claims, groupClaims).map((g): EntityUidJson => ({ type: GROUP_TYPE, id: g })),
  };
}

/**
 * `Tool::"<advertised name>"` / `Prompt::"<name>"` / `Resource::"<uri>"`, child of
 * `Backend::"<backend>"`. `annotations` is always a record (possibly empty) holding only the hints
 * the backend set; a Resource also carries its URI as `uri` so policies can use `like`.
 */
export function resourceEntity(kind: ResourceKind, resource: ResourceDescription): EntityJson {
  const attrs: Record<string, CedarValueJson> = {
    backend: resource.backend,
    name: resource.name,
    annotations: toCedarRecord(resource.annotations),
  };
  if (kind === 'resource') attrs['uri'] = resource.name;
  return {
    uid: { type: RESOURCE_TYPE[kind], id: resource.name },
    attrs,
    parents: [{ type: BACKEND_TYPE, id: resource.backend }],
  };
}

/**
 * Parses operator-supplied entities (e.g. a `Group` hierarchy, attributes on `Backend`s) once.
 * Returns the entities or a problem description. Client/Tool/Prompt/Resource are refused: vmcp
 * builds those per request, and a duplicate uid would make every request fail.
 */
export function parseStaticEntities(input: string | readonly EntityJson[] | undefined): { entities: EntityJson[] } | { error: string } {
  let entities: unknown = input ?? [];
  if (typeof entities === 'string') {
    try {
      entities = JSON.parse(entities);
    } catch (err) {
      return { error: `entitiesJson is not JSON: ${(err as Error).message}` };
    }
  }
  if (!Array.isArray(entities)) return { error: 'entitiesJson must be a JSON array of Cedar entities' };
  const checked = cedar.checkParseEntities({ entities: entities as EntityJson[] });
  if (checked.type === 'failure') return { error: `entitiesJson: ${checked.errors.map((e) => e.message).join('; ')}` };
  for (const entity of entities as EntityJson[]) {
    const type = 'type' in entity.uid ? entity.uid.type : entity.uid.__entity.type;
    if (REQUEST_ENTITY_TYPES.has(type)) return { error: `entitiesJson may not define ${type} entities: vmcp builds them per request` };
  }
  return { entities: entities as EntityJson[] };
}
