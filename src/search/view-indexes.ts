// One keyword index per tool list a caller can see. Lists are immutable snapshots (the shared
// catalog's, or a caller's Cedar-filtered or per-user one), so the list object itself is the cache
// key: a catalog change makes a new list, hence a new index, and a tool that left is simply absent
// from it. Building one is cheap after the first: every definition's analysis is cached by identity
// (analyze.ts), so a rebuild only re-counts postings.
import { META_TOOL_NAMES } from './meta-tools.js';
import type { ToolDefinition } from './tool-definition.js';
import { ToolIndex } from './tool-index.js';

export class ViewIndexes {
  // Weak: an index lives exactly as long as the list it was built from.
  readonly #byList = new WeakMap<readonly object[], ToolIndex>();

  /** The index of `tools` (find_tool and call_tool themselves left out). */
  indexOf(tools: readonly object[]): ToolIndex {
    let index = this.#byList.get(tools);
    if (index === undefined) {
      const searchable = (tools as readonly ToolDefinition[]).filter((t) => !META_TOOL_NAMES.has(t.name));
      this.#byList.set(tools, (index = new ToolIndex(searchable)));
    }
    return index;
  }
}
