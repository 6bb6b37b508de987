// `vmcp serve [--config FILE] [--host H] [--port P] [--stdio] [--optimizer] [--log-level L]`
// Serves Streamable HTTP at http://H:P/mcp (or one client over stdio), prints the URL and a
// backend table, and on SIGINT/SIGTERM shuts down gracefully (exit 0, no orphan processes).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compositeToolIssues } from '../composite/validate.js';
import { loadConfigFile } from '../config/load.js';
import { normalizeOptimizer } from '../config/normalize-optimizer.js';
import { isLoopbackHost } from '../config/validate-auth.js';
import type { LogLevel, RuntimeConfig } from '../config/types.js';
import { Gateway, type BackendSummary } from '../app/gateway.js';
import { subscribeLogger } from '../app/logger.js';
import { isVmcpError } from '../errors/codes.js';
import { renderText } from './validate.js';
import type { CliIo } from './io.js';
import { renderTable } from './table.js';
import { startReload, type ServeReloadOptions } from './serve-reload.js';

export const SERVE_USAGE = `usage: vmcp serve [--config FILE] [--host HOST] [--port PORT] [--stdio] [--optimizer] [--watch] [--log-level LEVEL]
  --config, -c   config file (default: ./vmcp.yaml if present, else the embedded demo config)
  --host         listen address (default from config, 127.0.0.1)
  --port, -p     listen port (default from config, 4483; 0 = any free port)
  --stdio        serve one MCP client over stdin/stdout instead of HTTP
  --optimizer    advertise find_tool and call_tool instead of every tool (keyword search; config optimizer: for more)
  --watch        reload the config file when it changes (SIGHUP always reloads it)
  --log-level    trace | debug | info | warn | error | silent
  --log-format   pretty (default on a terminal) | json (default otherwise): logs go to stderr
`;

const DEMO_CONFIG = fileURLToPath(new URL('../../examples/demo.yaml', import.meta.url));

export async function runServe(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: 'string', short: 'c' },
      host: { type: 'string' },
      port: { type: 'string', short: 'p' },
      stdio: { type: 'boolean' },
      optimizer: { type: 'boolean' },
      watch: { type: 'boolean' },
      'log-level': { type: 'string' },
      'log-format': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    io.stdout.write(SERVE_USAGE);
    return 0;
  }
  const file = values.config ?? (existsSync(resolve(io.cwd ?? process.cwd(), 'vmcp.yaml')) ? 'vmcp.yaml' : DEMO_CONFIG);
  const path = resolve(io.cwd ?? process.cwd(), file);
  const loaded = await loadConfigFile(path, io.env as NodeJS.ProcessEnv, [compositeToolIssues]);
  if (!loaded.config || loaded.issues.length > 0) {
    const errors = loaded.issues.filter((i) => i.severity === 'error').length;
    io.stderr.write(renderText(path, loaded.issues, errors));
  }
  if (!loaded.config) return 2;
  const config = withOptimizer(withOverrides(loaded.config, values), Boolean(values.optimizer));
  if (typeof config === 'string') {
    io.stderr.write(`vmcp serve: ${config}\n${SERVE_USAGE}`);
    return 2;
  }
  if (values.stdio && config.audit && config.audit.logFile === undefined) {
    io.stderr.write('vmcp serve: --stdio keeps stdout for the protocol, so the audit log needs audit.logFile\n');
    return 2;
  }
  const out = values.stdio ? io.stderr : io.stdout;
  const format = values['log-format'] ?? (process.stderr.isTTY ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') {
    io.stderr.write(`vmcp serve: --log-format must be json or pretty (got "${format}")\n`);
    return 2;
  }
  const logs = subscribeLogger((values['log-level'] as LogLevel | undefined) ?? config.logLevel, format);
  try {
    const reload = {
      path,
      mode: values.watch ? ('watch' as const) : ('signal-only' as const),
      env: io.env as NodeJS.ProcessEnv,
      prepare: (c: RuntimeConfig) => withOverrides(c, values),
      out,
      err: io.stderr,
    };
    return await serve(config, path, Boolean(values.stdio), out, reload);
  } finally {
    logs.close();
  }
}

async function serve(
  config: RuntimeConfig,
  path: string,
  stdio: boolean,
  out: CliIo['stdout'],
  reload: ServeReloadOptions,
): Promise<number> {
  let gateway: Gateway;
  try {
    gateway = await Gateway.start(config, { stdio });
  } catch (err) {
    out.write(`vmcp serve: cannot start: ${(err as Error).message}\n`);
    return isVmcpError(err) ? 2 : 1;
  }
  // One write: the banner reaches a log or a pipe whole, never the URL line without its table.
  const where = stdio ? 'serving MCP over stdio\n' : `listening on ${gateway.url}\n`;
  out.write(`vmcp ${config.name} (${path})\n${where}${backendTable(gateway.backends())}`);
  // A repeated signal during the (bounded) graceful shutdown is noted, not obeyed: killing the
  // process mid-drain would drop the answers the drain exists to deliver.
  let stopping = false;
  let resolveStop: (reason: string) => void = () => undefined;
  const stop = new Promise<string>((resolve) => (resolveStop = resolve));
  const onSignal = (signal: string) => {
    if (stopping) return void out.write(`vmcp: ${signal} again; still shutting down\n`);
    stopping = true;
    resolveStop(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stopReload = startReload(gateway, reload);
  void gateway.stdioDone?.then(() => onSignal('stdin closed'));
  const reason = await stop;
  out.write(`vmcp: ${reason}, shutting down\n`);
  try {
    await gateway.close();
  } finally {
    stopReload();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}

export function backendTable(backends: readonly BackendSummary[]): string {
  return renderTable(
    ['BACKEND', 'TRANSPORT', 'STATE', 'TOOLS', 'RESOURCES', 'PROMPTS', 'NOTE'],
    backends.map((b) => [b.name, b.transport, b.state, String(b.tools), String(b.resources), String(b.prompts), b.error ?? '']),
  );
}

/** `--optimizer` turns tool search on with keyword ranking; a config that has `optimizer:` keeps its own settings. */
function withOptimizer(config: RuntimeConfig | string, on: boolean): RuntimeConfig | string {
  if (!on || typeof config === 'string' || config.optimizer.mode !== 'off') return config;
  return Object.freeze({ ...config, optimizer: normalizeOptimizer({}) });
}

function withOverrides(config: RuntimeConfig, values: { host?: string; port?: string }): RuntimeConfig | string {
  if (values.host === undefined && values.port === undefined) return config;
  const port = values.port === undefined ? config.server.port : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return `--port must be an integer 0-65535 (got "${values.port}")`;
  const host = values.host ?? config.server.host;
  // The same rule `vmcp validate` applies to server.host: no anonymous gateway on the network by accident.
  if (!isLoopbackHost(host) && config.incomingAuth.type === 'anonymous' && !config.incomingAuth.allowRemoteAnonymous) {
    return `--host ${host} is not a loopback address and incomingAuth is anonymous: anyone who can reach it could use every backend; configure incomingAuth (oidc) or set incomingAuth.allowRemoteAnonymous: true`;
  }
  return Object.freeze({ ...config, server: Object.freeze({ ...config.server, host, port }) });
}
