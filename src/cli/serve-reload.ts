// `vmcp serve`'s live reload: SIGHUP reloads the config file, `--watch` also reloads it when it
// changes. What each reload did goes to the output; an invalid file's issues go to stderr with
// file and line, as `vmcp validate` prints them, and the running config keeps serving.
import { compositeToolIssues } from '../composite/validate.js';
import type { RuntimeConfig } from '../config/types.js';
import type { Gateway } from '../app/gateway.js';
import { describeReload, Reloader } from '../app/reload.js';
import { channels, publish, type WarningEvent } from '../observability/channels.js';
import { renderText } from './validate.js';
import type { CliIo } from './io.js';

export type WatchMode = 'watch' | 'signal-only';

export interface ServeReloadOptions {
  path: string;
  mode: WatchMode;
  env: NodeJS.ProcessEnv;
  initialText?: string;
  prepare: (config: RuntimeConfig) => RuntimeConfig | string;
  out: CliIo['stdout'];
  err: CliIo['stderr'];
}

/** Install the SIGHUP handler (and the file watch); the returned function removes both. */
export function startReload(gateway: Gateway, opts: ServeReloadOptions): () => void {
  const reloader = new Reloader(
    {
      path: opts.path,
      gateway,
      env: opts.env,
      rules: [compositeToolIssues],
      prepare: opts.prepare,
      report: (outcome) => {
        const line = describeReload(outcome, opts.path);
        if (outcome.kind === 'refused') {
          const errors = outcome.issues.filter((i) => i.severity === 'error').length;
          if (outcome.issues.length > 0) opts.err.write(renderText(opts.path, outcome.issues, errors));
          publish<WarningEvent>(channels.warning, { source: 'config', message: line });
        }
        opts.out.write(`vmcp: ${line}\n`);
      },
    },
    opts.initialText,
  );
  if (opts.mode === 'watch') reloader.watch();
  const onHup = () => void reloader.reload();
  process.on('SIGHUP', onHup);
  return () => {
    process.off('SIGHUP', onHup);
    reloader[Symbol.dispose]();
  };
}
