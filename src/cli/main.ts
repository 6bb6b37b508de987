// `vmcp <command>`: serve · validate · init · import-toolhive · status · workflow · pins · version. Each command is a function of
// (args, io) returning an exit code, so tests drive them in-process.
import { runServe, SERVE_USAGE } from './serve.js';
import { runValidate, VALIDATE_USAGE } from './validate.js';
import type { CliIo } from './io.js';
import { INIT_USAGE, runInit } from './init.js';
import { IMPORT_USAGE, runImportToolhive } from './import-toolhive.js';
import { runStatus, STATUS_USAGE } from './status.js';
import { runWorkflowCommand, WORKFLOW_USAGE } from './workflow.js';
import { PINS_USAGE, runPins } from './pins.js';
import { VERSION } from '../app/version.js';

const HELP = `vmcp ${VERSION} — a Virtual MCP Server: one MCP endpoint in front of many MCP servers

usage: vmcp <command> [options]

commands:
  serve      run the gateway (Streamable HTTP at /mcp, or --stdio)
  validate   check a config file and report every problem at once
  init       write a commented starter config
  import-toolhive  turn a ToolHive VirtualMCPServer manifest into a vmcp config
  status     show a running gateway's phase, backends and conditions (GET /status)
  workflow   run a composite tool on a running gateway and show how each step went
  pins       list, diff and approve the pinned tool definitions of a running gateway
  version    print the version
  help       this text; \`vmcp <command> --help\` for a command's options

${SERVE_USAGE}
${VALIDATE_USAGE}${INIT_USAGE}${IMPORT_USAGE}
${STATUS_USAGE}
${WORKFLOW_USAGE}
${PINS_USAGE}`;

export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return runServe(rest, io);
    case 'validate':
      return runValidate(rest, io);
    case 'init':
      return runInit(rest, io);
    case 'import-toolhive':
      return runImportToolhive(rest, io);
    case 'status':
      return runStatus(rest, io);
    case 'workflow':
      return runWorkflowCommand(rest, io);
    case 'pins':
      return runPins(rest, io);
    case 'version':
    case '--version':
    case '-v':
      io.stdout.write(`vmcp ${VERSION}\n`);
      return 0;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.stdout.write(HELP);
      return 0;
    default:
      io.stderr.write(`vmcp: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}
