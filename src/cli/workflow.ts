// `vmcp workflow run NAME [--args JSON] [--url URL]`: call a composite tool on a running gateway
// with the MCP SDK client and print how each step went (from the result's _meta["vmcp/workflow"])
// and the output. Elicitation questions are answered from --answer, in order (then: cancel).
// Exit codes: 0 the workflow completed, 1 it failed, 2 usage error, 3 the gateway could not be
// reached or refused the call.
import { parseArgs } from 'node:util';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { VERSION } from '../app/version.js';
import { formatMs } from '../composite/render-dag.js';
import { WORKFLOW_META_KEY } from '../composite/result.js';
import type { WorkflowMeta } from '../composite/result.js';
import { MAX_TIMER_MS, parseDuration } from '../config/duration.js';
import { statusUrl, DEFAULT_STATUS_URL } from './status.js';
import { renderTable } from './table.js';
import { answerUsage, type CliIo } from './io.js';

export const WORKFLOW_USAGE = `usage: vmcp workflow run NAME [--args JSON] [--url URL] [--answer JSON|decline|cancel]... [--json]
  --args, -a     the composite tool's arguments as a JSON object (default {})
  --url, -u      the gateway's base URL or its /mcp URL (default ${DEFAULT_STATUS_URL})
  --answer       reply to the next elicitation question: accept with this JSON object, or decline/cancel
  --timeout      give up after this long (default 30m, the default workflow timeout)
  --json         print the CallToolResult as received
  a bearer token for the gateway is read from VMCP_TOKEN (never printed)
  exit codes: 0 completed, 1 the workflow failed, 2 usage error, 3 gateway unreachable or call refused
`;

export interface WorkflowRunOptions {
  /** Cancels the call (the client sends notifications/cancelled), as Ctrl-C does. */
  readonly signal?: AbortSignal;
}

interface RunArgs {
  readonly name: string;
  readonly args: Record<string, unknown>;
  readonly url: string;
  readonly answers: readonly Answer[];
  readonly timeoutMs: number;
  readonly json: boolean;
}

type Answer = { readonly action: 'accept'; readonly content: Record<string, unknown> } | { readonly action: 'decline' | 'cancel' };

export async function runWorkflowCommand(args: readonly string[], io: CliIo, opts: WorkflowRunOptions = {}): Promise<number> {
  const parsed = parseWorkflowArgs(args);
  if (typeof parsed === 'string') return answerUsage(io, 'workflow', WORKFLOW_USAGE, parsed);
  let result: Record<string, unknown>;
  try {
    result = await callComposite(parsed, io, opts.signal);
  } catch (e) {
    io.stderr.write(`vmcp workflow: ${parsed.url}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 3;
  }
  io.stdout.write(parsed.json ? `${JSON.stringify(result, null, 2)}\n` : renderRun(result));
  return result.isError === true ? 1 : 0;
}

function parseWorkflowArgs(args: readonly string[]): RunArgs | 'help' | string {
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        args: { type: 'string', short: 'a', default: '{}' },
        url: { type: 'string', short: 'u', default: DEFAULT_STATUS_URL },
        answer: { type: 'string', multiple: true, default: [] },
        timeout: { type: 'string', default: '30m' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) return 'help';
    const [verb, name, ...extra] = positionals;
    if (verb !== 'run') return verb === undefined ? 'missing command (run)' : `unknown command "${verb}"`;
    if (name === undefined) return 'missing NAME';
    if (extra.length > 0) return `unexpected argument ${extra[0]}`;
    const timeoutMs = parseDuration(values.timeout);
    if (timeoutMs < 1 || timeoutMs > MAX_TIMER_MS) return `--timeout must be between 1ms and 596h`;
    const url = statusUrl(values.url).replace(/\/status$/, '/mcp');
    return { name, args: jsonObject(values.args, '--args'), url, answers: values.answer.map(parseAnswer), timeoutMs, json: values.json };
  } catch (err) {
    return (err as Error).message;
  }
}

function jsonObject(text: string, flag: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${flag} is not valid JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${flag} must be a JSON object`);
  return value as Record<string, unknown>;
}

function parseAnswer(text: string): Answer {
  if (text === 'decline' || text === 'cancel') return { action: text };
  return { action: 'accept', content: jsonObject(text, '--answer') };
}

async function callComposite(run: RunArgs, io: CliIo, signal: AbortSignal | undefined): Promise<Record<string, unknown>> {
  const answers = [...run.answers];
  // Declared always: a question with no --answer left is answered cancel (its onCancel applies).
  const client = new Client({ name: 'vmcp-cli', version: VERSION }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler('elicitation/create', ((req: { params: { message?: string } }) => {
    io.stderr.write(`question: ${req.params.message ?? ''}\n`);
    return answers.shift() ?? { action: 'cancel' };
  }) as never);
  const token = io.env['VMCP_TOKEN'];
  const headers = token ? { authorization: `Bearer ${token}` } : undefined;
  await client.connect(new StreamableHTTPClientTransport(new URL(run.url), headers ? { requestInit: { headers } } : {}));
  try {
    const name = advertisedName(
      run.name,
      (await client.listTools()).tools.map((t) => t.name),
    );
    const options = { timeout: run.timeoutMs, resetTimeoutOnProgress: true, ...(signal === undefined ? {} : { signal }) };
    return (await client.callTool({ name, arguments: run.args }, options)) as Record<string, unknown>;
  } finally {
    await client.close();
  }
}

/**
 * The name the gateway advertises for workflow NAME: NAME itself, or NAME under the prefix the
 * conflict strategy gave it (`composite_NAME` by default).
 */
export function advertisedName(name: string, listed: readonly string[]): string {
  if (listed.includes(name)) return name;
  const prefixed = listed.filter((t) => t.length > name.length && t.endsWith(name));
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length > 1) throw new Error(`"${name}" is ambiguous: the gateway lists ${prefixed.join(', ')}; give the full name`);
  throw new Error(`the gateway lists no tool "${name}" (nor one ending in it)`);
}

export function renderRun(result: Record<string, unknown>): string {
  const meta = (result._meta as Record<string, unknown> | undefined)?.[WORKFLOW_META_KEY] as WorkflowMeta | undefined;
  const lines: string[] = [];
  if (meta === undefined) lines.push('(no workflow details in the result: is this a composite tool?)\n');
  else {
    lines.push(`workflow ${meta.name}: ${meta.status.replace('_', ' ')} in ${formatMs(meta.durationMs)} (run ${meta.id})\n`);
    const rows = meta.steps.map((s) => [
      String(s.level),
      s.id,
      s.type,
      s.status + (s.skipReason === undefined ? '' : ` (${s.skipReason.replace('_', ' ')})`),
      String(s.attempts),
      s.startedAtMs === undefined ? '-' : `+${formatMs(s.startedAtMs)}`,
      s.durationMs === undefined ? '-' : formatMs(s.durationMs),
      s.iterations === undefined
        ? (s.error ?? '')
        : `${s.iterations.completed}/${s.iterations.count} iterations${s.error ? `; ${s.error}` : ''}`,
    ]);
    lines.push(renderTable(['level', 'step', 'type', 'status', 'attempts', 'started', 'took', 'note'], rows));
  }
  const texts = ((result.content as { type: string; text?: string }[] | undefined) ?? []).filter((c) => c.type === 'text');
  if (result.isError === true) lines.push(`error: ${texts.map((c) => c.text ?? '').join('\n')}\n`);
  else if (result.structuredContent !== undefined) lines.push(`output:\n${JSON.stringify(result.structuredContent, null, 2)}\n`);
  else lines.push(`output:\n${texts.map((c) => c.text ?? '').join('\n')}\n`);
  return lines.join('');
}
