// stdio backends: one supervised child process per backend, shared by every client session
// (never a process per session: metamcp#162). stderr lines go to the gateway log, tagged.
import { createInterface } from 'node:readline';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import type { Transport } from '@modelcontextprotocol/client';
import type { StdioBackendConfig } from '../config/types.js';
import { channels, publish, type BackendStderrEvent } from '../observability/channels.js';

/** `node` means the Node.js that runs vmcp, so demo configs work without PATH lookups. */
function resolveCommand(command: string): string {
  return command === 'node' ? process.execPath : command;
}

export function createStdioTransport(config: StdioBackendConfig): Transport {
  const transport = new StdioClientTransport({
    command: resolveCommand(config.command),
    args: [...config.args],
    env: { ...getDefaultEnvironment(), ...config.env },
    cwd: config.cwd,
    stderr: 'pipe',
  });
  const start = transport.start.bind(transport);
  transport.start = async () => {
    await start();
    const stderr = transport.stderr;
    if (stderr && 'on' in stderr) {
      const lines = createInterface({ input: stderr as unknown as NodeJS.ReadableStream, crlfDelay: Infinity });
      lines.on('line', (line) => publish<BackendStderrEvent>(channels.backendStderr, { backend: config.name, line }));
    }
  };
  return transport;
}
