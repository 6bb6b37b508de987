// Live config reload (`vmcp serve --watch`, SIGHUP): the file is loaded and validated exactly as
// at start (every issue with file and line); an invalid one is refused and the running config
// keeps serving. A valid one goes to Gateway.reload, which touches only what changed.
// Watching: the file's directory is watched, not the file, because editors and Kubernetes
// ConfigMaps replace a file by renaming another over it (a watch on the old inode goes silent);
// events are debounced, and a file whose text did not change is not reloaded.
import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ConfigIssue } from '../config/issues.js';
import { loadConfigText, type ConfigRule } from '../config/load.js';
import type { RuntimeConfig } from '../config/types.js';
import { describeError } from '../backends/errors.js';
import type { ConfigDiff } from './reload-diff.js';

/** Default quiet time after the last file event before reloading (an editor writes in bursts). */
export const RELOAD_DEBOUNCE_MS = 300;

export type ReloadOutcome =
  | { readonly kind: 'applied'; readonly diff: ConfigDiff }
  | { readonly kind: 'unchanged' }
  /** `issues`: the config is invalid (each with its line); `message`: a valid config could not be applied. */
  | { readonly kind: 'refused'; readonly issues: readonly ConfigIssue[]; readonly message?: string };

export interface Reloadable {
  reload(next: RuntimeConfig): Promise<ConfigDiff>;
}

export interface ReloaderOptions {
  path: string;
  gateway: Reloadable;
  env?: NodeJS.ProcessEnv;
  /** Validation rules of layers above config (composite tools), as at start. */
  rules?: readonly ConfigRule[];
  /** Applies the command line's overrides (--host, --port) again; a string refuses the config. */
  prepare?: (config: RuntimeConfig) => RuntimeConfig | string;
  /** Every outcome, for the log. */
  report: (outcome: ReloadOutcome) => void;
  debounceMs?: number;
}

export class Reloader implements Disposable {
  readonly #opts: ReloaderOptions;
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastText: string | undefined;
  #running: Promise<ReloadOutcome> | undefined;
  #again = false;

  /** `initialText`: the text the gateway started from (an identical file is not reloaded). */
  constructor(opts: ReloaderOptions, initialText?: string) {
    this.#opts = opts;
    this.#lastText = initialText;
  }

  /** Reload when the file changes (debounced). */
  watch(): void {
    if (this.#watcher) return;
    this.#watcher = watch(dirname(this.#opts.path), { persistent: false }, () => this.#schedule());
    this.#watcher.on('error', (err) =>
      this.#opts.report({ kind: 'refused', issues: [], message: `watching the config stopped: ${describeError(err)}` }),
    );
  }

  /**
   * Load, validate and apply the file now (SIGHUP). Reloads never overlap: one asked for while
   * another runs happens once more after it, with the file as it is then.
   */
  reload(force = true): Promise<ReloadOutcome> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = this.#run(force).finally(() => {
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        void this.reload(force);
      }
    });
    this.#running = run;
    return run;
  }

  [Symbol.dispose](): void {
    this.#watcher?.close();
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.reload(false), this.#opts.debounceMs ?? RELOAD_DEBOUNCE_MS);
    this.#timer.unref();
  }

  async #run(force: boolean): Promise<ReloadOutcome> {
    const outcome = await this.#attempt(force);
    if (outcome.kind !== 'unchanged' || force) this.#opts.report(outcome);
    return outcome;
  }

  async #attempt(force: boolean): Promise<ReloadOutcome> {
    let text: string;
    try {
      text = await readFile(this.#opts.path, 'utf8');
    } catch (err) {
      return { kind: 'refused', issues: [], message: `cannot read ${this.#opts.path}: ${describeError(err)}` };
    }
    if (!force && text === this.#lastText) return { kind: 'unchanged' };
    this.#lastText = text;
    const { path, env, rules } = this.#opts;
    const loaded = loadConfigText(text, { source: path, env: env ?? process.env, rules: rules ?? [] });
    if (!loaded.config) return { kind: 'refused', issues: loaded.issues };
    const config = this.#opts.prepare ? this.#opts.prepare(loaded.config) : loaded.config;
    if (typeof config === 'string') return { kind: 'refused', issues: [], message: config };
    try {
      const diff = await this.#opts.gateway.reload(config);
      return isEmpty(diff) ? { kind: 'unchanged' } : { kind: 'applied', diff };
    } catch (err) {
      return { kind: 'refused', issues: [], message: describeError(err) };
    }
  }
}

function isEmpty(d: ConfigDiff): boolean {
  const b = d.backends;
  return b.added.length + b.removed.length + b.changed.length === 0 && d.live.size === 0 && d.restartOnly.length === 0;
}

/** One line for the log: what a reload did. */
export function describeReload(outcome: ReloadOutcome, path: string): string {
  if (outcome.kind === 'unchanged') return `config ${path} reloaded: nothing changed`;
  if (outcome.kind === 'refused')
    return `config ${path} refused, the running config keeps serving${outcome.message ? `: ${outcome.message}` : ''}`;
  const { backends: b, live, features, kept, restartOnly } = outcome.diff;
  const keptNames = new Set((kept ?? []).map((k) => k.section));
  const rebuilt = [...live].flatMap((l) => (l === 'features' ? [...features].filter((f) => !keptNames.has(f)) : [l]));
  const parts = [
    ...(b.added.length ? [`added ${b.added.join(', ')}`] : []),
    ...(b.removed.length ? [`removed ${b.removed.join(', ')}`] : []),
    ...(b.changed.length ? [`replaced ${b.changed.join(', ')}`] : []),
    ...(rebuilt.length ? [`rebuilt ${rebuilt.join(', ')}`] : []),
    ...(kept?.length ? [`kept the previous ${kept.map((k) => `${k.section} (${k.reason})`).join(', ')}`] : []),
    ...(restartOnly.length ? [`needs a restart to apply ${restartOnly.join(', ')}`] : []),
  ];
  return `config ${path} reloaded: ${parts.join('; ') || 'no backend changed'}`;
}
