// A CodeModeHost that records every call it gets (name, arguments, signal) and how many ran at
// once, with a handful of tools that answer in the ways real tools do: text, structured
// content, an error result, a thrown authorization denial, slowness, and never answering.
import { ErrorCodes, VmcpError } from '../../../src/errors/codes.js';
import type { CallToolResultJson, CodeModeHost, InnerCallOptions, ToolDefinition } from '../../../src/codemode/index.js';
import { resolveCodeMode } from '../../../src/config/schema-codemode.js';
import type { UserCodeMode } from '../../../src/config/schema-codemode.js';
import type { CodeModeConfig } from '../../../src/config/types.js';

export interface RecordedCall {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
  /** The tool finished (answered or failed) on its own. */
  finished: boolean;
}

type Impl = (args: Record<string, unknown>, options: InnerCallOptions) => Promise<CallToolResultJson>;

const text = (value: string): CallToolResultJson => ({ content: [{ type: 'text', text: value }] });
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });

const IMPLS: Record<string, Impl> = {
  echo: async (args, { signal }) => {
    await sleep(1, signal);
    return text(String(args['message']));
  },
  'add-numbers': async (args) => ({ content: [], structuredContent: { sum: Number(args['a']) + Number(args['b']) } }),
  fail: async () => ({ isError: true, content: [{ type: 'text', text: 'the widget is broken' }] }),
  deny: async () => {
    throw new VmcpError(ErrorCodes.FORBIDDEN, 'Access denied: not authorized to call tool');
  },
  slow: async (args, { signal }) => {
    await sleep(Number(args['ms'] ?? 50), signal);
    return text('slow done');
  },
  /** Answers only when its signal aborts (then rejects). */
  hang: (_args, { signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('hang aborted')))),
};

export const TOOL_DEFINITIONS: ToolDefinition[] = [
  {
    name: 'echo',
    description: 'Echoes the message',
    inputSchema: { type: 'object', properties: { message: { type: 'string', description: 'What to echo' } }, required: ['message'] },
  },
  {
    name: 'add-numbers',
    description: 'Adds a and b',
    inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
    outputSchema: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] },
  },
  ...['fail', 'deny', 'slow', 'hang'].map((name) => ({ name, inputSchema: { type: 'object' } })),
];

export class FakeHost implements CodeModeHost {
  readonly calls: RecordedCall[] = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly #tools: readonly ToolDefinition[];

  constructor(tools: readonly ToolDefinition[] = TOOL_DEFINITIONS) {
    this.#tools = tools;
  }

  tools(): readonly ToolDefinition[] {
    return this.#tools;
  }

  async callTool(name: string, args: Record<string, unknown>, options: InnerCallOptions): Promise<CallToolResultJson> {
    const call: RecordedCall = { name, args, signal: options.signal, timeoutMs: options.timeoutMs, finished: false };
    this.calls.push(call);
    const impl = IMPLS[name];
    if (impl === undefined) throw new Error(`fake host has no tool ${name}`);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const result = await impl(args, options);
      call.finished = true;
      return result;
    } finally {
      this.inFlight--;
    }
  }
}

export function config(overrides: UserCodeMode = {}): CodeModeConfig {
  return resolveCodeMode({ workers: 1, ...overrides });
}

/** The text of a result's first content block. */
export function firstText(result: CallToolResultJson): string {
  return String(result.content[0]?.text);
}
