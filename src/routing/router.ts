// Resolve an advertised name or URI to the backend that owns it, against the current catalog
// snapshot. Unknown names are errors that say what was not found.
import type { BackendConnector } from '../backends/connector.js';
import type { Catalog, Route } from '../aggregation/catalog.js';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import type { RequestView } from './dispatch.js';

export interface Target {
  route: Route;
  connector: BackendConnector;
}

/** Names of backends the health layer took out of service, and the error that explains it. */
export interface HiddenBackends {
  full(): Catalog;
  unavailable(backend: string, what: string): Error;
}

export class Router {
  #catalog: () => Catalog;
  #connectors: ReadonlyMap<string, BackendConnector>;
  #hidden: HiddenBackends | undefined;

  constructor(catalog: () => Catalog, connectors: ReadonlyMap<string, BackendConnector>, hidden?: HiddenBackends) {
    this.#catalog = catalog;
    this.#connectors = connectors;
    this.#hidden = hidden;
  }

  tool(name: string, view?: RequestView): Target {
    const route = (view?.catalog ?? this.#catalog()).tool(name);
    if (!route) {
      this.#explainHidden(this.#hidden?.full().tool(name), `tools/call "${name}"`);
      explainRefused(view, name);
      throw new VmcpError(ErrorCodes.TOOL_NOT_FOUND, `Unknown tool: "${name}"`, { tool: name });
    }
    return this.#target(route);
  }

  prompt(name: string, view?: RequestView): Target {
    const route = (view?.catalog ?? this.#catalog()).prompt(name);
    if (!route) {
      this.#explainHidden(this.#hidden?.full().prompt(name), `prompts/get "${name}"`);
      explainRefused(view, name);
      throw new VmcpError(ErrorCodes.PROMPT_NOT_FOUND, `Unknown prompt: "${name}"`, { prompt: name });
    }
    return this.#target(route);
  }

  /** A name that exists on a backend taken out of service gets that backend's story, not "unknown". */
  #explainHidden(route: Route | undefined, what: string): void {
    if (route && this.#hidden) throw this.#hidden.unavailable(route.backend, what);
  }

  /** Exact URI, then the first matching template, then the only backend serving resources. */
  resource(uri: string, view?: RequestView): Target {
    const catalog = view?.catalog ?? this.#catalog();
    const route = catalog.resource(uri) ?? catalog.matchTemplate(uri) ?? this.#soleResourceBackend(uri);
    if (!route)
      this.#explainHidden(this.#hidden?.full().resource(uri) ?? this.#hidden?.full().matchTemplate(uri), `resources/read "${uri}"`);
    if (!route) throw new VmcpError(ErrorCodes.RESOURCE_NOT_FOUND, `Resource not found: "${uri}"`, { uri });
    return this.#target(route);
  }

  template(uriTemplate: string, view?: RequestView): Target | undefined {
    const route = (view?.catalog ?? this.#catalog()).template(uriTemplate);
    return route ? this.#target(route) : undefined;
  }

  /** Every connected backend, for fan-out requests such as logging/setLevel. */
  connectors(): BackendConnector[] {
    return [...this.#connectors.values()];
  }

  #soleResourceBackend(uri: string): Route | undefined {
    const serving = this.connectors().filter((c) => c.state === 'ready' && c.info?.capabilities['resources']);
    return serving.length === 1 ? { backend: serving[0]!.name, name: uri } : undefined;
  }

  #target(route: Route): Target {
    const connector = this.#connectors.get(route.backend);
    if (!connector)
      throw new VmcpError(ErrorCodes.BACKEND_UNAVAILABLE, `Backend "${route.backend}" is not configured`, { backend: route.backend });
    return { route, connector };
  }
}

/** A name that would belong to a per-user backend that refused this caller: say so (issue 6 §4). */
function explainRefused(view: RequestView | undefined, name: string): void {
  const refused = view?.refusedBackend?.(name);
  if (refused) {
    throw new VmcpError(
      ErrorCodes.BACKEND_AUTH_REQUIRED,
      `Backend "${refused.backend}" did not accept your credentials (${refused.reason}): you must authenticate with that backend to use "${name}"`,
      { backend: refused.backend },
    );
  }
}
