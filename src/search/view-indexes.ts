// One keyword index per tool list a caller can see. Lists are immutable snapshots (the shared
// catalog's, or a caller's Cedar-filtered or per-user one), so the list object itself is the cache
// key: a catalog change makes a new list, hence a new index, and a tool that left is simply absent
// from it. A list of the shared catalog's own definitions (what a Cedar filter leaves) is a subset
// of the shared index: a membership mask over the same postings, nothing built. Any other list
// (a per-user catalog) gets an index of its own, in which every definition equal to the shared
// catalog's takes over that one's analysis.
import { adoptAnalysis } from './analyze.js';
import { META_TOOL_NAMES } from './meta-tools.js';
import type { ToolDefinition } from './tool-definition.js';
import { ToolIndex } from './tool-index.js';

export class ViewIndexes {
  // Weak: an index lives exactly as long as the list it was built from.
  readonly #byList = new WeakMap<readonly object[], ToolIndex>();
  #shared: ToolIndex | undefined;

  /**
   * The shared catalog's index; the lists of callers are matched against it from now on. Its
   * token counts (find_tool's baseline) are taken now, on the catalog change, rather than by the
   * first find_tool after it.
   */
  shared(tools: readonly object[]): ToolIndex {
    const index = (this.#shared = this.indexOf(tools));
    index.totalTokens();
    return index;
  }

  /** The index of `tools` (find_tool and call_tool themselves left out). */
  indexOf(tools: readonly object[]): ToolIndex {
    let index = this.#byList.get(tools);
    if (index === undefined) {
      const searchable = (tools as readonly ToolDefinition[]).filter((t) => !META_TOOL_NAMES.has(t.name));
      this.#byList.set(tools, (index = this.#subsetOfShared(searchable) ?? this.#own(searchable)));
    }
    return index;
  }

  #subsetOfShared(tools: readonly ToolDefinition[]): ToolIndex | undefined {
    const shared = this.#shared;
    if (shared === undefined || !tools.every((t) => shared.get(t.name) === t)) return undefined;
    return shared.subset(tools.map((t) => t.name));
  }

  #own(tools: readonly ToolDefinition[]): ToolIndex {
    const shared = this.#shared;
    if (shared !== undefined) {
      for (const tool of tools) {
        const same = shared.get(tool.name);
        if (same !== undefined && same !== tool && sameMembers(tool, same)) adoptAnalysis(tool, same);
      }
    }
    return new ToolIndex(tools);
  }
}

/** Whether two definitions have the same members, each the very same value. */
function sameMembers(a: ToolDefinition, b: ToolDefinition): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}
