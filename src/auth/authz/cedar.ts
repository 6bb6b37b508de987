// Cedar authorization for vmcp (issue: "Authorization: Cedar policies"). docs/authorization.md
// is the user-facing version of this comment.
//
// Entity model — every request is (principal, action, resource, context):
//   principal  Client::"<sub>"  (anonymous → Client::"anonymous"; API keys → the key's name)
//              attrs   kind: "anonymous"|"oidc"|"api-key", issuer: String ("" when none),
//                      scopes: Set<String>, claims: Record (String | Long | Bool | Set<String>
//                      only; floats, nulls, objects and mixed arrays are dropped)
//              parents Group::"<g>" for each value of the `groups` / `roles` claims
//   action     Action::"call_tool" | Action::"get_prompt" | Action::"read_resource"
//   resource   Tool::"<advertised name>" | Prompt::"<advertised name>" | Resource::"<uri>"
//              attrs   backend: String, name: String, annotations: Record (hints the backend
//                      set, e.g. readOnlyHint, destructiveHint; same value rules as claims),
//                      and uri: String on Resource
//              parent  Backend::"<backend>"  → `resource in Backend::"github"`
//   context    { gateway: "<vmcp name>" }
//
// Lists: there are no list actions in Cedar. `list_tools` is authorized per entry as
// `call_tool` (likewise prompts → get_prompt, resources → read_resource), so a principal sees
// exactly what it may use, and one policy governs both seeing and using.
//
// Decisions: default deny (Cedar). Fail closed on evaluation errors — Cedar itself *skips* a
// policy whose condition errors, which for a `forbid` would widen access; here an erroring
// forbid denies the request. An erroring permit grants nothing (Cedar's rule, already safe).
// Errors are reported in `reasons`, which are internal: log them, never send them to a client.
//
// Speed: policies are parsed once (preparsePolicySet, keyed by a hash of the policy set), and
// decisions are memoized per (principal, action, resource) — see decision-cache.ts. Loading this module loads the Cedar wasm
// (~20 ms), so the composition root should import it only when authorization is configured.
import { createHash } from 'node:crypto';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { AuthorizationAnswer, Context, EntityJson } from '@cedar-policy/cedar-wasm/nodejs';
import { ErrorCodes, VmcpError } from '../../errors/codes.js';
import type { Principal } from '../types.js';
import { DecisionCache, DEFAULT_DECISION_CACHE, type DecisionCacheOptions } from './decision-cache.js';
import { parseStaticEntities, principalEntity, resourceEntity, toCedarRecord, type ResourceDescription } from './entities.js';
import {
  ACTION_FOR_KIND,
  ACTION_TYPE,
  DEFAULT_GROUP_CLAIMS,
  EVALUATED_AS,
  KIND_OF,
  type AuthzAction,
  type CedarAction,
  type ResourceKind,
} from './model.js';
import { compilePolicies, type PolicyIssue, type PolicySource } from './policy-set.js';

export type { AuthzAction, CedarAction, ResourceKind } from './model.js';
export type { PolicyIssue, PolicySource } from './policy-set.js';
export type { ResourceDescription } from './entities.js';
export type { DecisionCacheOptions } from './decision-cache.js';

export interface CedarAuthorizerOptions {
  readonly policies: readonly PolicySource[];
  /** Extra entities (JSON text or parsed), e.g. a Group hierarchy. Default: none. */
  readonly entitiesJson?: string | readonly EntityJson[] | undefined;
  /** The vmcp's name, exposed to policies as `context.gateway`. */
  readonly gatewayName: string;
  /** Claims whose values become Group parents. Default: ["groups", "roles"]. */
  readonly groupClaims?: readonly string[] | undefined;
  /** Memo of decisions. Default: up to 50,000 decisions; `{maxEntries: 0}` disables it. */
  readonly decisionCache?: DecisionCacheOptions | undefined;
}

export interface AuthzResource extends ResourceDescription {
  readonly kind: ResourceKind;
}

export interface AuthzRequest {
  readonly principal: Principal;
  readonly action: AuthzAction;
  readonly resource: AuthzResource;
}

export interface AuthzDecision {
  readonly allowed: boolean;
  /** The Cedar action evaluated (a list action reports the use it was evaluated as). */
  readonly action: CedarAction;
  /** Determining policy ids and evaluation errors. Internal only: for logs, never the wire. */
  readonly reasons: readonly string[];
}

/** Syntax and model problems in policy files, with file and line (for `vmcp validate`). */
export function validatePolicies(policies: readonly PolicySource[]): PolicyIssue[] {
  return [...compilePolicies(policies).issues];
}

/**
 * The client-facing text of a denial: names the action and what was asked for (which the client
 * already knows), never the policy that decided or why.
 */
export function denialMessage(decision: Pick<AuthzDecision, 'action'>, resource: Pick<AuthzResource, 'kind' | 'name'>): string {
  return `Forbidden: ${decision.action} on ${resource.kind} "${resource.name}" is not permitted by authorization policy`;
}

export class CedarAuthorizer {
  readonly #setId: string;
  readonly #forbids: ReadonlySet<string>;
  readonly #staticEntities: readonly EntityJson[];
  readonly #context: Context;
  readonly #groupClaims: readonly string[];
  /** Principals live for a session: build each one's entity and fingerprint once. */
  readonly #principals = new WeakMap<Principal, PrincipalEntry>();
  readonly #cache: DecisionCache<AuthzDecision>;

  /** Throws VmcpError(CONFIG_INVALID) with `details.issues` when policies or entities are bad. */
  constructor(options: CedarAuthorizerOptions) {
    const compiled = compilePolicies(options.policies);
    if (compiled.issues.length > 0) throw invalid('invalid Cedar policies', compiled.issues);
    const parsed = parseStaticEntities(options.entitiesJson);
    if ('error' in parsed) throw invalid(parsed.error, []);
    this.#setId = preparse(compiled.policies);
    this.#forbids = compiled.forbids;
    this.#staticEntities = parsed.entities;
    this.#context = { gateway: options.gatewayName };
    this.#groupClaims = options.groupClaims ?? DEFAULT_GROUP_CLAIMS;
    this.#cache = new DecisionCache(options.decisionCache ?? DEFAULT_DECISION_CACHE);
  }

  authorize(request: AuthzRequest): AuthzDecision {
    const action = EVALUATED_AS[request.action];
    if (KIND_OF[action] !== request.resource.kind) {
      return freeze({ allowed: false, action, reasons: [`vmcp: ${request.action} does not apply to a ${request.resource.kind}`] });
    }
    return this.#evaluate(this.#principalEntity(request.principal), action, request.resource);
  }

  /** The entries of a list response the principal may use (authorized as call/get/read). */
  filter<T>(principal: Principal, kind: ResourceKind, items: readonly T[], describe: (item: T) => ResourceDescription): T[] {
    const action = ACTION_FOR_KIND[kind];
    const entity = this.#principalEntity(principal);
    return items.filter((item) => this.#evaluate(entity, action, { kind, ...describe(item) }).allowed);
  }

  #principalEntity(principal: Principal): PrincipalEntry {
    let entry = this.#principals.get(principal);
    if (entry === undefined) {
      const entity = principalEntity(principal, this.#groupClaims);
      entry = { entity, fingerprint: JSON.stringify(entity) };
      this.#principals.set(principal, entry);
    }
    return entry;
  }

  #evaluate(principal: PrincipalEntry, action: CedarAction, resource: AuthzResource): AuthzDecision {
    const key = JSON.stringify([action, resource.kind, resource.backend, resource.name, toCedarRecord(resource.annotations)]);
    const cached = this.#cache.get(principal.fingerprint, key);
    if (cached !== undefined) return cached;
    let decision: AuthzDecision;
    try {
      decision = freeze(this.#evaluateUncached(principal.entity, action, resource));
    } catch (err) {
      // A throw from the wasm module is not a property of the request: deny, but do not cache.
      return freeze({ allowed: false, action, reasons: [`cedar: ${(err as Error).message}`] });
    }
    this.#cache.set(principal.fingerprint, key, decision);
    return decision;
  }

  #evaluateUncached(principal: EntityJson, action: CedarAction, resource: AuthzResource): AuthzDecision {
    const entity = resourceEntity(resource.kind, resource);
    const answer = cedar.statefulIsAuthorized({
      principal: principal.uid,
      action: { type: ACTION_TYPE, id: action },
      resource: entity.uid,
      context: this.#context,
      preparsedPolicySetId: this.#setId,
      entities: [principal, entity, ...this.#staticEntities],
    });
    return interpret(answer, action, this.#forbids);
  }
}

function freeze(decision: AuthzDecision): AuthzDecision {
  Object.freeze(decision.reasons);
  return Object.freeze(decision);
}

interface PrincipalEntry {
  readonly entity: EntityJson;
  /** The entity as JSON: equal principals share cached decisions even as distinct objects. */
  readonly fingerprint: string;
}

/** Applies the fail-closed rule (see header) to Cedar's answer. */
function interpret(answer: AuthorizationAnswer, action: CedarAction, forbids: ReadonlySet<string>): AuthzDecision {
  if (answer.type === 'failure') {
    return { allowed: false, action, reasons: answer.errors.map((e) => `cedar: ${e.message}`) };
  }
  const { decision, diagnostics } = answer.response;
  const errors = diagnostics.errors.map((e) => `${e.policyId}: error: ${e.error.message}`);
  if (decision === 'deny') return { allowed: false, action, reasons: [...diagnostics.reason, ...errors] };
  const forbidFailed = diagnostics.errors.some((e) => forbids.has(e.policyId));
  if (forbidFailed) return { allowed: false, action, reasons: errors };
  return { allowed: true, action, reasons: [...diagnostics.reason, ...errors] };
}

/**
 * Parses the policy set into Cedar's per-thread cache. The id is a content hash: the cache has
 * no eviction, so reloading the same policies must reuse the entry rather than add one.
 */
function preparse(policies: Readonly<Record<string, string>>): string {
  const id = `vmcp-${createHash('sha256').update(JSON.stringify(policies)).digest('hex')}`;
  const result = cedar.preparsePolicySet(id, { staticPolicies: { ...policies } });
  if (result.type === 'failure')
    throw invalid(
      'invalid Cedar policies',
      result.errors.map((e) => ({ source: '(policy set)', message: e.message })),
    );
  return id;
}

function invalid(message: string, issues: readonly PolicyIssue[]): VmcpError {
  const detail = issues.map((i) => `${i.source}${i.line ? `:${i.line}:${i.column ?? 1}` : ''}: ${i.message}`).join('\n');
  return new VmcpError(ErrorCodes.CONFIG_INVALID, detail ? `${message}:\n${detail}` : message, { issues });
}
