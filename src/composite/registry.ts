// The composite tools of one config, compiled once: what the gateway advertises and calls.
// Immutable; a config reload builds a new registry.
import type { CompositeToolConfig } from '../config/types-composite.js';
import { compileWorkflow } from './compile.js';
import type { CompiledWorkflow } from './compile.js';
import { runWorkflow } from './engine.js';
import type { RunOptions } from './engine.js';
import type { ToolCallResult, WorkflowHost } from './host.js';
import { toCallToolResult } from './result.js';
import { compositeToolDefinition } from './tool-definition.js';
import type { AnnotationLookup, CompositeToolDefinition } from './tool-definition.js';

export class CompositeToolRegistry {
  readonly #workflows: ReadonlyMap<string, CompiledWorkflow>;

  /** Throws VmcpError(VMCP_CONFIG_INVALID) for a workflow that cannot run (see compile.ts). */
  constructor(configs: readonly CompositeToolConfig[]) {
    this.#workflows = new Map(configs.map((c) => [c.name, compileWorkflow(c)]));
  }

  has(name: string): boolean {
    return this.#workflows.has(name);
  }

  names(): string[] {
    return [...this.#workflows.keys()];
  }

  workflow(name: string): CompiledWorkflow | undefined {
    return this.#workflows.get(name);
  }

  definitions(lookup?: AnnotationLookup): CompositeToolDefinition[] {
    return [...this.#workflows.values()].map((wf) => compositeToolDefinition(wf.config, lookup));
  }

  /** tools/call of a composite tool: always a CallToolResult (failures have isError). */
  async call(name: string, args: unknown, host: WorkflowHost, options: RunOptions = {}): Promise<ToolCallResult> {
    const wf = this.#workflows.get(name);
    if (wf === undefined) return { content: [{ type: 'text', text: `Unknown composite tool: ${name}` }], isError: true };
    return toCallToolResult(await runWorkflow(wf, args, host, options));
  }
}
