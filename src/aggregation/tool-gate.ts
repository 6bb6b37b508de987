// A gate between backend inventories and the catalog: it decides which of a backend's tools may be
// listed (tool pinning holds back changed definitions). The gateway's own tools are never gated.
import type { JsonObject } from '../backends/connector.js';
import type { CatalogInput } from './catalog.js';

export interface ToolGate {
  /** The tools of `backend` that may be listed; the same array when all may. */
  admit(backend: string, tools: readonly JsonObject[]): readonly JsonObject[];
  /** The backends the catalog has now (a removed one is forgotten). */
  present?(backends: ReadonlySet<string>): void;
}

/** The inputs with held tools left out; the same array when the gate holds nothing back. */
export function gateInputs(inputs: CatalogInput[], gate: ToolGate | undefined): CatalogInput[] {
  if (!gate) return inputs;
  let held = false;
  const out = inputs.map((input) => {
    if (input.virtual) return input;
    const tools = gate.admit(input.backend, input.inventory.tools);
    if (tools === input.inventory.tools) return input;
    held = true;
    return { ...input, inventory: Object.freeze({ ...input.inventory, tools }) };
  });
  gate.present?.(new Set(inputs.filter((i) => !i.virtual).map((i) => i.backend)));
  return held ? out : inputs;
}
