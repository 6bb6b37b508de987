// Code mode as a gateway feature (docs/code-mode.md): the execute_tool_script virtual tool. A
// view decorator adds it to each caller's tools/list, declaring that caller's own tools, and
// resolves its name to the code mode provider; a call runs the script in a sandbox worker whose
// tool calls are inner calls through the chain (code-mode-host.ts). The tool is not put in the
// catalog: prefix naming would rename it, and its name is what agents are prompted with.
import type { Catalog } from '../aggregation/catalog.js';
import { assertNoReservedToolName, CodeMode, EXECUTE_TOOL_SCRIPT } from '../codemode/index.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { channels, publish, type WarningEvent } from '../observability/channels.js';
import type { JsonObject } from '../protocol/index.js';
import type { RequestView, ResolvedCall, VirtualTarget } from '../routing/context.js';
import { boundTools, ChainHost } from './code-mode-host.js';
import type { Feature, FeatureDeps } from './features.js';

/** The provider execute_tool_script belongs to (authorization sees it as the tool's backend). */
export const CODE_MODE_PROVIDER = 'codemode';

export function codeModeFeature(deps: FeatureDeps): Feature | undefined {
  const config = deps.config.codeMode;
  if (config === undefined) return undefined;
  const codeMode = new CodeMode(config);
  const described = new WeakMap<Catalog, Catalog>();
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'codeMode',
    view: (view) => withCodeMode(view, codeMode, described),
    start: async () => {
      assertNoReservedToolName(advertised(deps.catalogs.fullCatalog));
      unsubscribe = deps.catalogs.onChange(() => warnOnShadowedTool(deps.catalogs.fullCatalog));
      await codeMode.warm();
    },
    close: async () => {
      unsubscribe?.();
      await codeMode.close();
    },
  };
}

/** The script binds exactly the tools its description declared: those of the view it was listed in. */
async function runScript(codeMode: CodeMode, call: ResolvedCall, view: RequestView): Promise<JsonObject> {
  const calls = call.ctx.calls;
  if (calls === undefined) throw new VmcpError(ErrorCodes.INTERNAL, 'execute_tool_script was called without inner calls');
  const host = new ChainHost(call, calls, boundTools(view));
  const result = await codeMode.execute(call.params['arguments'] ?? {}, host, { signal: call.ctx.signal });
  return result as unknown as JsonObject;
}

/**
 * The caller's view plus execute_tool_script, declaring the tools this view lists. Views are
 * built per request, but their catalogs are shared per principal and catalog version, so the
 * declarations are generated once per such catalog.
 */
function withCodeMode(view: RequestView, codeMode: CodeMode, cache: WeakMap<Catalog, Catalog>): RequestView {
  let catalog = cache.get(view.catalog);
  if (catalog === undefined) {
    catalog = describedCatalog(view, codeMode);
    cache.set(view.catalog, catalog);
  }
  const definition = catalog.toolDefinition(EXECUTE_TOOL_SCRIPT) ?? {};
  const target: VirtualTarget = {
    kind: 'virtual',
    provider: CODE_MODE_PROVIDER,
    name: EXECUTE_TOOL_SCRIPT,
    advertised: EXECUTE_TOOL_SCRIPT,
    definition,
    run: (call) => runScript(codeMode, call, view),
  };
  return {
    ...view,
    catalog,
    resolve: (entry, name) => (entry === 'tool' && name === EXECUTE_TOOL_SCRIPT ? { ok: target } : view.resolve(entry, name)),
  };
}

function describedCatalog(view: RequestView, codeMode: CodeMode): Catalog {
  const base = view.catalog;
  const definition = Object.freeze(codeMode.definition(boundTools(view)) as JsonObject);
  const tools = Object.freeze([...base.tools.filter((t) => t['name'] !== EXECUTE_TOOL_SCRIPT), definition]);
  const route = Object.freeze({ backend: CODE_MODE_PROVIDER, name: EXECUTE_TOOL_SCRIPT });
  return Object.freeze({
    ...base,
    tools,
    tool: (name: string) => (name === EXECUTE_TOOL_SCRIPT ? route : base.tool(name)),
    toolDefinition: (name: string) => (name === EXECUTE_TOOL_SCRIPT ? definition : base.toolDefinition(name)),
  });
}

/** The backend that advertises a tool under the reserved name, if one does (after naming, filters and overrides). */
function advertised(catalog: Catalog): { name: string; backend: string }[] {
  const route = catalog.tool(EXECUTE_TOOL_SCRIPT);
  return route === undefined ? [] : [{ name: EXECUTE_TOOL_SCRIPT, backend: route.backend }];
}

/** Found after start (a list_changed): code mode keeps the name, the backend's tool is unreachable. */
function warnOnShadowedTool(catalog: Catalog): void {
  const [clash] = advertised(catalog);
  if (clash === undefined) return;
  publish<WarningEvent>(channels.warning, {
    source: clash.backend,
    message: `tool "${EXECUTE_TOOL_SCRIPT}" is shadowed by code mode's own tool and cannot be called: rename it (aggregation.tools[].overrides)`,
  });
}
