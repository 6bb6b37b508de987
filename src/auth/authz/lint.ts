// Checks Cedar cannot make without a schema: scope constraints that can never match in vmcp's
// entity model. Without them a typo such as `Action::"tools/call"` (the very slip in ToolHive's
// example config, reference §6.3) silently matches nothing and the policy is dead.
import type { ActionConstraint, EntityUidJson, PolicyJson, PrincipalConstraint, ResourceConstraint } from '@cedar-policy/cedar-wasm/nodejs';
import { ACTION_TYPE, EVALUATED_AS, PRINCIPAL_TYPE, RESOURCE_TYPE, isCedarAction, isListAction } from './model.js';

const RESOURCE_TYPES: ReadonlySet<string> = new Set(Object.values(RESOURCE_TYPE));
const USE_ACTIONS = 'Action::"call_tool", Action::"get_prompt" or Action::"read_resource"';

/** Problems with one policy's scope, as human messages (empty when fine). */
export function lintPolicy(policy: PolicyJson): string[] {
  return [...lintAction(policy.action), ...lintPrincipal(policy.principal), ...lintResource(policy.resource)];
}

/** Reads `{type, id}` from either JSON form Cedar uses for entity references. */
export function entityRef(uid: EntityUidJson): { type: string; id: string } {
  return '__entity' in uid ? uid.__entity : uid;
}

function lintAction(constraint: ActionConstraint): string[] {
  if (constraint.op === 'All') return [];
  const refs = 'entities' in constraint ? constraint.entities : 'entity' in constraint ? [constraint.entity] : [];
  return refs.map(entityRef).flatMap(({ type, id }) => {
    if (type !== ACTION_TYPE) return [`${type}::"${id}" is not an action; use ${USE_ACTIONS}`];
    if (isCedarAction(id)) return [];
    if (isListAction(id))
      return [`Action::"${id}" is never evaluated: list responses are filtered per entry with Action::"${EVALUATED_AS[id]}"`];
    return [`unknown action Action::"${id}"; vmcp evaluates ${USE_ACTIONS}`];
  });
}

function lintPrincipal(constraint: PrincipalConstraint): string[] {
  const type = scopedType(constraint);
  if (type === undefined || type === PRINCIPAL_TYPE) return [];
  const hint = constraint.op === '==' ? `; to match members write \`principal in ${type}::"…"\`` : '';
  return [`principal ${constraint.op} ${type} never matches: the principal is always a ${PRINCIPAL_TYPE}${hint}`];
}

function lintResource(constraint: ResourceConstraint): string[] {
  const type = scopedType(constraint);
  if (type === undefined || RESOURCE_TYPES.has(type)) return [];
  const hint = constraint.op === '==' ? `; to match everything under it write \`resource in ${type}::"…"\`` : '';
  return [`resource ${constraint.op} ${type} never matches: the resource is a Tool, Prompt or Resource${hint}`];
}

/** The entity type an `==` or `is` scope pins (an `in` scope may name any ancestor type). */
function scopedType(constraint: PrincipalConstraint | ResourceConstraint): string | undefined {
  if (constraint.op === 'is') return constraint.entity_type;
  if (constraint.op === '==' && 'entity' in constraint) return entityRef(constraint.entity).type;
  return undefined;
}
