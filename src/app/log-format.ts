// A readable one-line log format for a human at a terminal (`--log-format pretty`, the default
// when stderr is a TTY); JSON lines otherwise, for machines. Not worth a pino-pretty dependency.
import { Writable } from 'node:stream';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const COLORS: Record<number, string> = { 10: '90', 20: '90', 30: '36', 40: '33', 50: '31', 60: '31' };
const HIDDEN = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

export function formatLine(line: string, color: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = Number(entry['level']);
  const time = new Date(Number(entry['time'])).toISOString().slice(11, 23);
  const tag = LEVELS[level] ?? String(level);
  const fields = Object.entries(entry)
    .filter(([k, v]) => !HIDDEN.has(k) && v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  const head = color ? `\x1b[${COLORS[level] ?? '0'}m${tag}\x1b[0m` : tag;
  return `${time} ${head} ${String(entry['msg'] ?? '')}${fields ? `  ${color ? `\x1b[90m${fields}\x1b[0m` : fields}` : ''}`;
}

export function prettyStream(out: NodeJS.WritableStream & { isTTY?: boolean }): Writable {
  const color = Boolean(out.isTTY) && !process.env['NO_COLOR'];
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) out.write(`${formatLine(line, color)}\n`);
      done();
    },
  });
}
