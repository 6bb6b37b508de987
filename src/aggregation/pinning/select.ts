// Which changes `vmcp pins approve NAME` means. NAME may be `backend/tool` (the pin's own key), the
// name clients know the tool by (after prefixing and overrides), a tool name that only one backend
// changed, or a backend name (all its changes, and its quarantine lifted). Anything else, or a
// name that fits several changes, is an error that lists what could be approved.
import { pinKey } from '../../state/pin-store.js';
import type { ChangedTool, Quarantine } from './ledger.js';

export interface Selection {
  readonly keys: readonly string[];
  /** Backends whose quarantine the approval lifts (when none of their tools is left changed). */
  readonly release: readonly string[];
}

export interface SelectInput {
  readonly changed: readonly ChangedTool[];
  readonly quarantined: ReadonlyMap<string, Quarantine>;
  /** The backend and backend tool name behind an advertised tool name, if any. */
  readonly advertised: (name: string) => { backend: string; tool: string } | undefined;
}

export function selectAll(input: SelectInput): Selection {
  return { keys: input.changed.map((c) => pinKey(c.backend, c.tool)), release: [...input.quarantined.keys()] };
}

export function selectByName(input: SelectInput, name: string): Selection | { error: string } {
  const keyed = input.changed.filter((c) => pinKey(c.backend, c.tool) === name);
  if (keyed.length > 0) return { keys: [name], release: [] };
  const route = input.advertised(name);
  if (route && input.changed.some((c) => c.backend === route.backend && c.tool === route.tool))
    return { keys: [pinKey(route.backend, route.tool)], release: [] };
  const ofBackend = input.changed.filter((c) => c.backend === name);
  if (ofBackend.length > 0 || input.quarantined.has(name))
    return { keys: ofBackend.map((c) => pinKey(c.backend, c.tool)), release: [name] };
  const byTool = input.changed.filter((c) => c.tool === name);
  if (byTool.length === 1) return { keys: [pinKey(byTool[0]!.backend, byTool[0]!.tool)], release: [] };
  const listed = input.changed.map((c) => pinKey(c.backend, c.tool));
  if (byTool.length > 1)
    return {
      error: `"${name}" changed on several backends (${byTool.map((c) => pinKey(c.backend, c.tool)).join(', ')}): name one as backend/tool`,
    };
  const what = listed.length === 0 ? 'no tool definition has changed' : `changed: ${listed.join(', ')}`;
  return { error: `nothing to approve named "${name.slice(0, 200)}" (${what})` };
}
