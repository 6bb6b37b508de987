// What every subcommand answers when its arguments are not a command to run: `--help` prints the
// usage on stdout (exit 0); anything else is a usage error on stderr (exit 2).
import type { CliIo } from './validate.js';

/** `parsed` is the parser's 'help' or its error message. */
export function answerUsage(io: CliIo, command: string, usage: string, parsed: string): number {
  if (parsed === 'help') {
    io.stdout.write(usage);
    return 0;
  }
  io.stderr.write(`vmcp ${command}: ${parsed}\n${usage}`);
  return 2;
}
