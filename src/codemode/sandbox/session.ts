// One script run inside the worker: a fresh QuickJS runtime and context (nothing a script does
// survives it), the prelude, the script, and the loop that runs its jobs whenever a tool reply
// arrives. The runtime's memory limit, stack limit and interrupt handler bound the script; the
// interrupt handler also reads the control word the gateway's thread sets to stop it.
import type { QuickJSContext, QuickJSDeferredPromise, QuickJSHandle, QuickJSRuntime, QuickJSWASMModule } from 'quickjs-emscripten-core';
import { STEPS_PER_INTERRUPT, type LimitName } from '../limits.js';
import {
  STOP_REASONS,
  type CallReply,
  type CallRequest,
  type DoneMessage,
  type RunOutcome,
  type RunRequest,
  type ScriptError,
} from '../protocol.js';
import type { StopReason } from '../protocol.js';
import { BOOTSTRAP_SOURCE } from './bootstrap.js';
import { CallGate, LimitHit } from './call-gate.js';
import { errorFromVm, outcomeOfHostFailure, outcomeOfResult } from './outcome.js';

type Post = (message: CallRequest | DoneMessage) => void;
/** Told when a run is over; `clean` false: the interpreter instance must not be used again. */
type Ended = (clean: boolean) => void;
type Stop = LimitName | StopReason;

const NEVER_SETTLES =
  'the script awaits a promise that nothing will ever settle (no tool call is in flight, and the sandbox has no timers)';

export class SandboxSession {
  readonly #request: RunRequest;
  readonly #post: Post;
  readonly #control: Int32Array;
  readonly #ended: Ended;
  readonly #rt: QuickJSRuntime;
  readonly #ctx: QuickJSContext;
  readonly #gate: CallGate<CallRequest>;
  readonly #deferreds = new Map<number, QuickJSDeferredPromise>();
  readonly #logs: string[] = [];
  #dropped = 0;
  #interrupts = 0;
  #counting = false;
  #nextCall = 0;
  #stop: Stop | undefined;
  #promise: QuickJSHandle | undefined;
  #done = false;

  constructor(module: QuickJSWASMModule, request: RunRequest, post: Post, control: Int32Array, ended: Ended) {
    this.#request = request;
    this.#post = post;
    this.#control = control;
    this.#ended = ended;
    this.#gate = new CallGate(request.limits, (call) => post(call));
    this.#rt = module.newRuntime();
    this.#rt.setMemoryLimit(request.limits.memoryLimitBytes);
    this.#rt.setMaxStackSize(request.limits.stackLimitBytes);
    this.#rt.setInterruptHandler(() => this.#interrupt());
    this.#ctx = this.#rt.newContext();
  }

  get runId(): number {
    return this.#request.runId;
  }

  get done(): boolean {
    return this.#done;
  }

  start(): void {
    try {
      const started = this.#boot();
      if ('error' in started) return this.#end({ ok: false, error: started.error });
      this.#promise = started.promise;
      this.#pump();
    } catch (err) {
      this.#end(outcomeOfHostFailure(err), true);
    }
  }

  reply(message: CallReply): void {
    const deferred = this.#deferreds.get(message.callId);
    if (this.#done || deferred === undefined) return;
    this.#deferreds.delete(message.callId);
    try {
      this.#gate.settled();
      const value = this.#ctx.newString(message.json);
      deferred.resolve(value);
      value.dispose();
      deferred.dispose();
      this.#pump();
    } catch (err) {
      deferred.dispose(); // before #end frees the runtime, which must hold no live handle
      this.#end(outcomeOfHostFailure(err), true);
    }
  }

  /** The gateway ends the run (cancelled, out of time) while the script waits for a reply. */
  stop(reason: StopReason): void {
    this.#stop ??= reason;
    if (!this.#done) this.#end(this.#stopped());
  }

  #boot(): { promise: QuickJSHandle } | { error: ScriptError } {
    const ctx = this.#ctx;
    const { tools, dataJson, limits, script } = this.#request;
    const prelude = ctx.evalCode(BOOTSTRAP_SOURCE, 'prelude.js');
    if (prelude.error) return { error: this.#vmError(prelude.error) };
    const args = [
      ctx.newFunction('call', (name, json) => this.#onCall(ctx.getString(name), ctx.getString(json))),
      ctx.newFunction('log', (line) => this.#onLog(ctx.getString(line))),
      ctx.newString(JSON.stringify(tools)),
      ctx.newString(dataJson),
      ctx.newNumber(limits.parallelMaxConcurrency),
      ctx.newNumber(limits.maxResultBytes),
      ctx.newNumber(limits.maxLogLineChars),
    ];
    const run = ctx.callFunction(prelude.value, ctx.undefined, ...args);
    for (const handle of [...args, prelude.value]) handle.dispose();
    if (run.error) return { error: this.#vmError(run.error) };
    this.#counting = true; // from here on the steps are the script's (freezing `data` was not)
    const source = ctx.newString(script);
    const promise = ctx.callFunction(run.value, ctx.undefined, source);
    source.dispose();
    run.value.dispose();
    return promise.error ? { error: this.#vmError(promise.error) } : { promise: promise.value };
  }

  /** Run every pending job, then see whether the script is over. */
  #pump(): void {
    if (this.#done || this.#promise === undefined) return;
    const jobs = this.#rt.executePendingJobs();
    if (jobs.error) jobs.error.dispose();
    if (this.#stop !== undefined) return this.#end(this.#stopped());
    const state = this.#ctx.getPromiseState(this.#promise);
    if (state.type === 'fulfilled') {
      const text = this.#ctx.getString(state.value);
      state.value.dispose();
      return this.#end(outcomeOfResult(text, this.#request.limits.maxResultBytes));
    }
    if (state.type === 'rejected') return this.#end({ ok: false, error: this.#vmError(state.error) });
    if (this.#gate.idle) this.#end({ ok: false, error: { message: NEVER_SETTLES } });
  }

  #onCall(name: string, argsJson: string): QuickJSHandle {
    if (this.#stop !== undefined) throw new Error('the script is being stopped');
    const callId = ++this.#nextCall;
    try {
      this.#gate.admit({ type: 'call', runId: this.#request.runId, callId, name, argsJson });
    } catch (err) {
      if (err instanceof LimitHit) this.#stop ??= err.limit;
      throw new Error(`the script was stopped: ${err instanceof LimitHit ? err.limit : String(err)}`, { cause: err });
    }
    const deferred = this.#ctx.newPromise();
    this.#deferreds.set(callId, deferred);
    return deferred.handle;
  }

  #onLog(line: string): void {
    if (this.#logs.length < this.#request.limits.maxLogLines) this.#logs.push(line);
    else this.#dropped++;
  }

  /** Called by QuickJS every STEPS_PER_INTERRUPT steps; true ends the script (uncatchably). */
  #interrupt(): boolean {
    if (this.#counting) this.#interrupts++;
    if (this.#stop === undefined) {
      const word = Atomics.load(this.#control, 0);
      if (word !== 0) this.#stop = STOP_REASONS[word - 1] ?? 'cancelled';
      else if (this.#interrupts * STEPS_PER_INTERRUPT >= this.#request.limits.stepLimit) this.#stop = 'stepLimit';
    }
    return this.#stop !== undefined;
  }

  #stopped(): RunOutcome {
    const stop = this.#stop ?? 'cancelled';
    if (stop === 'cancelled') return { ok: false, error: { message: 'the script was cancelled' } };
    return { ok: false, error: { message: stop, limit: stop } };
  }

  #vmError(handle: QuickJSHandle): ScriptError {
    try {
      return errorFromVm(this.#ctx.dump(handle), this.#stop);
    } catch {
      return errorFromVm(undefined, this.#stop);
    } finally {
      handle.dispose();
    }
  }

  /** `suspect`: the interpreter failed under the script; its instance is replaced either way. */
  #end(outcome: RunOutcome, suspect = false): void {
    if (this.#done) return;
    this.#done = true;
    const clean = this.#dispose() && !suspect;
    this.#ended(clean);
    this.#post({ type: 'done', runId: this.#request.runId, outcome, logs: this.#logs, droppedLogs: this.#dropped });
  }

  /** False when freeing the runtime failed: the instance may be inconsistent (or aborted). */
  #dispose(): boolean {
    try {
      for (const deferred of this.#deferreds.values()) deferred.dispose();
      this.#promise?.dispose();
      this.#ctx.dispose();
      this.#rt.dispose();
      return true;
    } catch {
      return false;
    }
  }
}
