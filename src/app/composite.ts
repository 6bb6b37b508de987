// Composite tools as a gateway feature (docs/composite-tools.md): each workflow is a virtual tool
// listed under the `composite` provider, so naming, conflicts, filters, authorization and /status
// counts treat it like any backend's tool. Its definition carries the outputSchema and the
// annotations derived from its step tools (refreshed when the catalog changes); a call runs the
// workflow on a host whose every step is an inner call through the chain (composite-host.ts).
import { CompositeToolRegistry } from '../composite/registry.js';
import { COMPOSITE_PROVIDER_NAME } from '../config/virtual-providers.js';
import { catalogLookup, compositeCatalogIssues } from '../composite/tool-definition.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { channels, publish, type WarningEvent } from '../observability/channels.js';
import type { JsonObject } from '../protocol/index.js';
import type { ResolvedCall } from '../routing/context.js';
import type { VirtualProvider } from '../routing/view.js';
import { ChainWorkflowHost } from './composite-host.js';
import { StepToolIndex } from './composite-tools.js';
import type { Feature, FeatureDeps } from './features.js';

/** The provider composite tools are listed under (what a prefix naming strategy shows). */
export const COMPOSITE_PROVIDER = COMPOSITE_PROVIDER_NAME;

export function compositeFeature(deps: FeatureDeps): Feature | undefined {
  const configs = deps.config.compositeTools;
  if (configs.length === 0) return undefined;
  const registry = new CompositeToolRegistry(configs);
  const index = new StepToolIndex(
    deps.catalogs,
    deps.config.backends.map((b) => b.name),
  );
  let advertised = '';
  const definitions = (): JsonObject[] => registry.definitions(catalogLookup(index.of().list)) as unknown as JsonObject[];
  /** Re-derive the annotations from the step tools; only a real change touches the catalog. */
  const refresh = (): void => {
    const defs = definitions();
    const json = JSON.stringify(defs);
    if (json === advertised) return;
    advertised = json;
    deps.catalogs.setVirtual(COMPOSITE_PROVIDER, defs);
  };
  const provider: VirtualProvider = {
    name: COMPOSITE_PROVIDER,
    tools: () => definitions(),
    run: (call) => runComposite(registry, index, call, deps.events),
  };
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'compositeTools',
    providers: [provider],
    start: async () => {
      checkCatalog(deps, index);
      refresh();
      await deps.catalogs.settled();
      unsubscribe = deps.catalogs.onChange(refresh);
    },
    close: () => unsubscribe?.(),
  };
}

async function runComposite(
  registry: CompositeToolRegistry,
  index: StepToolIndex,
  call: ResolvedCall,
  origin: object,
): Promise<JsonObject> {
  const calls = call.ctx.calls;
  if (calls === undefined || call.target.kind !== 'virtual')
    throw new VmcpError(ErrorCodes.INTERNAL, 'a composite tool was called without inner calls');
  const view = await calls.view(call.ctx);
  const host = new ChainWorkflowHost(call, calls, index.of(view.catalog), origin);
  const result = await registry.call(call.target.name, call.params['arguments'] ?? {}, host, { signal: call.ctx.signal });
  return result as JsonObject;
}

/** After discovery: a step tool two backends offer, a taken name or a contradicted annotation stops the start. */
function checkCatalog(deps: FeatureDeps, index: StepToolIndex): void {
  const issues = compositeCatalogIssues(deps.config.compositeTools, index.of().list);
  for (const w of issues.filter((i) => i.severity === 'warning'))
    publish<WarningEvent>(channels.warning, { source: 'compositeTools', message: `${w.path}: ${w.message}` });
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length === 0) return;
  throw new VmcpError(
    ErrorCodes.CONFIG_INVALID,
    `Invalid composite tools:\n${errors.map((e) => `  - ${e.path}: ${e.message}`).join('\n')}`,
  );
}
