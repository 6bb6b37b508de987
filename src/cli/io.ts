// What every subcommand is given to talk to the world (its output streams, environment and working
// directory), and what it answers when its arguments are not a command to run: `--help` prints the
// usage on stdout (exit 0); anything else is a usage error on stderr (exit 2).

export interface CliIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Relative FILE arguments resolve against this (default process.cwd()). */
  readonly cwd?: string;
}

/** `parsed` is the parser's 'help' or its error message. */
export function answerUsage(io: CliIo, command: string, usage: string, parsed: string): number {
  if (parsed === 'help') {
    io.stdout.write(usage);
    return 0;
  }
  io.stderr.write(`vmcp ${command}: ${parsed}\n${usage}`);
  return 2;
}
