// stdio backends: one supervised child process per backend, shared by every client session (never
// a process per session: https://github.com/metatool-ai/metamcp/issues/162). The process runs in
// its own process group and the whole group is ended on close, so launchers such as `npx` leave no
// orphaned grandchildren. stdout is read with a bound per message (line-reader.ts); stderr lines go
// to the gateway log tagged with the backend name, rate-limited per backend.
import { spawn, type ChildProcess } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import type { StdioBackendConfig } from '../../config/types.js';
import { ErrorCodes } from '../../errors/codes.js';
import { channels, publish, type BackendStderrEvent, type WarningEvent } from '../../observability/channels.js';
import { JsonRpcCodes, isObject } from '../../protocol/index.js';
import { FloodGate } from '../flood-gate.js';
import { LineReader } from './line-reader.js';
import { endProcessGroup } from './process-group.js';

export interface StdioLimits {
  readonly maxResultBytes: number;
  readonly stderrLinesPerSecond: number;
}

/** `node` means the Node.js that runs vmcp, so demo configs work without PATH lookups. */
function resolveCommand(command: string): string {
  return command === 'node' ? process.execPath : command;
}

export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  readonly #config: StdioBackendConfig;
  readonly #limits: StdioLimits;
  #child: ChildProcess | undefined;
  #exited: Promise<void> | undefined;
  #stderr: FloodGate;
  #invalid: FloodGate;

  constructor(config: StdioBackendConfig, limits: StdioLimits) {
    this.#config = config;
    this.#limits = limits;
    this.#stderr = new FloodGate(limits.stderrLinesPerSecond);
    this.#invalid = new FloodGate(5);
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  async start(): Promise<void> {
    const child = spawn(resolveCommand(this.#config.command), [...this.#config.args], {
      env: { ...getDefaultEnvironment(), ...this.#config.env },
      cwd: this.#config.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // its own process group: close() ends the whole group
      windowsHide: true,
    });
    this.#child = child;
    this.#exited = new Promise((resolve) => child.once('close', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.on('error', (err) => this.onerror?.(err));
    child.once('close', () => this.onclose?.());
    child.stdin!.on('error', (err) => this.onerror?.(err));
    const reader = new LineReader(this.#limits.maxResultBytes, { line: (l) => this.#line(l), overflow: (n, id) => this.#overflow(n, id) });
    child.stdout!.on('data', (chunk: Buffer) => reader.push(chunk));
    this.#readStderr(child);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.#child?.stdin;
    if (!stdin || stdin.destroyed) throw new Error('not connected');
    const text = JSON.stringify(message) + '\n';
    if (!stdin.write(text)) await new Promise<void>((resolve) => stdin.once('drain', resolve));
  }

  async close(): Promise<void> {
    const child = this.#child;
    if (!child || !this.#exited) return;
    this.#child = undefined;
    await endProcessGroup(child, this.#exited);
  }

  #line(text: string): void {
    if (text.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return this.#reject(undefined, `a line on stdout that is not JSON (${text.length} bytes)`);
    }
    const problem = messageProblem(message);
    if (problem) return this.#reject(isObject(message) ? idOf(message) : undefined, problem);
    this.onmessage?.(message as JSONRPCMessage);
  }

  /** An invalid message fails the call it answers at once (when it names one) and is logged, bounded. */
  #reject(id: string | number | undefined, problem: string): void {
    if (this.#invalid.admit()) this.#warn(`invalid message from the backend: ${problem}`);
    if (id === undefined) return;
    this.#fail(id, ErrorCodes.BACKEND_PROTOCOL_ERROR, `Backend "${this.#config.name}" sent an invalid response: ${problem}`);
  }

  #overflow(bytes: number, id: string | number | undefined): void {
    const limit = this.#limits.maxResultBytes;
    this.#warn(`dropped a ${bytes}-byte message from the backend: over the ${limit}-byte limit (limits.maxResultBytes)`);
    if (id === undefined) return;
    this.#fail(
      id,
      ErrorCodes.RESULT_TOO_LARGE,
      `Backend "${this.#config.name}" sent a ${bytes}-byte result, over the ${limit}-byte limit (limits.maxResultBytes)`,
      { limit, bytes },
    );
  }

  #fail(id: string | number, code: string, message: string, extra: Record<string, unknown> = {}): void {
    const data = { code, backend: this.#config.name, ...extra };
    this.onmessage?.({ jsonrpc: '2.0', id, error: { code: JsonRpcCodes.INTERNAL_ERROR, message, data } } as JSONRPCMessage);
  }

  #readStderr(child: ChildProcess): void {
    const reader = new LineReader(16_384, { line: (l) => this.#stderrLine(l), overflow: (n) => this.#stderrLine(`<${n}-byte line>`) });
    child.stderr!.on('data', (chunk: Buffer) => reader.push(chunk));
    const report = setInterval(() => {
      const n = this.#stderr.takeSuppressed();
      if (n > 0) this.#stderrLine(`vmcp: suppressed ${n} lines of stderr (limits.stderrLinesPerSecond)`, true);
    }, 1000);
    report.unref();
    child.once('close', () => clearInterval(report));
  }

  #stderrLine(line: string, force = false): void {
    if (force || this.#stderr.admit()) publish<BackendStderrEvent>(channels.backendStderr, { backend: this.#config.name, line });
  }

  #warn(message: string): void {
    publish<WarningEvent>(channels.warning, { source: this.#config.name, message });
  }
}

function idOf(m: Record<string, unknown>): string | number | undefined {
  const id = m['id'];
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/** What is wrong with a backend's JSON-RPC message, or undefined when it is well formed. */
function messageProblem(m: unknown): string | undefined {
  if (!isObject(m)) return 'a message must be a JSON object';
  if (m['jsonrpc'] !== '2.0') return '"jsonrpc" must be "2.0"';
  if (typeof m['method'] === 'string') return undefined;
  if (idOf(m) === undefined) return 'a message needs a "method" or an "id"';
  if ('result' in m) return isObject(m['result']) ? undefined : '"result" must be an object';
  if ('error' in m)
    return isObject(m['error']) && typeof m['error']['code'] === 'number' ? undefined : '"error" must be an object with a numeric "code"';
  return 'a response needs "result" or "error"';
}

export function createStdioTransport(config: StdioBackendConfig, limits: StdioLimits): Transport {
  return new StdioTransport(config, limits);
}
