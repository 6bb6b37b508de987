// The vocabulary of vmcp's Cedar entity model (see cedar.ts and docs/authorization.md).
// One place, so the authorizer, the entity builders and the policy linter cannot drift apart.

/** The Cedar actions vmcp evaluates (ToolHive's names, docs/reference §6.3). */
export const CEDAR_ACTIONS = ['call_tool', 'get_prompt', 'read_resource'] as const;
export type CedarAction = (typeof CEDAR_ACTIONS)[number];

export const LIST_ACTIONS = ['list_tools', 'list_prompts', 'list_resources'] as const;
export type ListAction = (typeof LIST_ACTIONS)[number];

/** What the gateway asks about: a use (call/get/read) or a list entry. */
export type AuthzAction = CedarAction | ListAction;

export type ResourceKind = 'tool' | 'prompt' | 'resource';

/**
 * A list entry is authorized as the use it would lead to, so a principal sees exactly what it
 * may use and a policy author writes one rule per capability instead of two that must agree.
 */
export const EVALUATED_AS: Readonly<Record<AuthzAction, CedarAction>> = {
  call_tool: 'call_tool',
  get_prompt: 'get_prompt',
  read_resource: 'read_resource',
  list_tools: 'call_tool',
  list_prompts: 'get_prompt',
  list_resources: 'read_resource',
};

export const KIND_OF: Readonly<Record<CedarAction, ResourceKind>> = {
  call_tool: 'tool',
  get_prompt: 'prompt',
  read_resource: 'resource',
};

export const ACTION_FOR_KIND: Readonly<Record<ResourceKind, CedarAction>> = {
  tool: 'call_tool',
  prompt: 'get_prompt',
  resource: 'read_resource',
};

export const RESOURCE_TYPE: Readonly<Record<ResourceKind, string>> = {
  tool: 'Tool',
  prompt: 'Prompt',
  resource: 'Resource',
};

export const PRINCIPAL_TYPE = 'Client';
export const GROUP_TYPE = 'Group';
export const BACKEND_TYPE = 'Backend';
export const ACTION_TYPE = 'Action';
export const ANONYMOUS_ID = 'anonymous';

/** Claims whose values become `Group` parents of the principal (overridable per authorizer). */
export const DEFAULT_GROUP_CLAIMS: readonly string[] = ['groups', 'roles'];

/** Entity types vmcp builds per request; static entities (entitiesJson) may not define them. */
export const REQUEST_ENTITY_TYPES: ReadonlySet<string> = new Set([PRINCIPAL_TYPE, ...Object.values(RESOURCE_TYPE)]);

export function isCedarAction(id: string): id is CedarAction {
  return (CEDAR_ACTIONS as readonly string[]).includes(id);
}

export function isListAction(id: string): id is ListAction {
  return (LIST_ACTIONS as readonly string[]).includes(id);
}
