// Where tool pins live across restarts. A pin is one backend tool's definition (the pinned fields)
// and its hash, keyed by backend and the backend's own tool name. The file store keeps them in one
// JSON document, rewritten atomically (a temporary file renamed over the old one), so a crash
// mid-write leaves the previous pins intact; writes are serialized.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface PinRecord {
  readonly backend: string;
  /** The backend's own tool name. */
  readonly tool: string;
  /** `sha256:` and the hex digest of the canonical JSON of `definition`. */
  readonly hash: string;
  /** The pinned fields: name, description, inputSchema, outputSchema, annotations (those present). */
  readonly definition: Readonly<Record<string, unknown>>;
  /** ISO time the pin was recorded or last approved. */
  readonly pinnedAt: string;
}

export interface PinStore {
  /** For messages: "file /path" or "Redis host:port" (never a password). */
  readonly where: string;
  /** Every pin; a store that does not exist yet is empty. Throws when it cannot be read or parsed. */
  load(): Promise<PinRecord[]>;
  /** Add or replace these pins. */
  save(records: readonly PinRecord[]): Promise<void>;
  close?(): Promise<void>;
}

export const pinKey = (backend: string, tool: string): string => `${backend}/${tool}`;

const FORMAT_VERSION = 1;

export class FilePinStore implements PinStore {
  readonly where: string;
  readonly #path: string;
  #pins = new Map<string, PinRecord>();
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
    this.where = `file ${path}`;
  }

  async load(): Promise<PinRecord[]> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const records = parsePinDocument(text, this.#path);
    this.#pins = new Map(records.map((r) => [pinKey(r.backend, r.tool), r]));
    return records;
  }

  save(records: readonly PinRecord[]): Promise<void> {
    for (const r of records) this.#pins.set(pinKey(r.backend, r.tool), r);
    const run = this.#writing.then(() => this.#write());
    this.#writing = run.catch(() => undefined);
    return run;
  }

  async #write(): Promise<void> {
    const sorted = [...this.#pins.values()].sort((a, b) => pinKey(a.backend, a.tool).localeCompare(pinKey(b.backend, b.tool)));
    const doc = { version: FORMAT_VERSION, pins: sorted };
    const tmp = `${this.#path}.${process.pid}.tmp`;
    await mkdir(dirname(this.#path), { recursive: true });
    await writeFile(tmp, `${JSON.stringify(doc, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.#path);
  }
}

/** The file's document, checked: a damaged pin file is an error naming the file, never an empty store. */
export function parsePinDocument(text: string, where: string): PinRecord[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`the pin store ${where} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const pins = (doc as { pins?: unknown } | null)?.pins;
  if (!Array.isArray(pins)) throw new Error(`the pin store ${where} has no "pins" array`);
  return pins.map((p, i) => parsePinRecord(p, `${where} pins[${i}]`));
}

export function parsePinRecord(value: unknown, where: string): PinRecord {
  const r = value as Partial<PinRecord> | null;
  const ok =
    r !== null &&
    typeof r === 'object' &&
    typeof r.backend === 'string' &&
    typeof r.tool === 'string' &&
    typeof r.hash === 'string' &&
    typeof r.pinnedAt === 'string' &&
    typeof r.definition === 'object' &&
    r.definition !== null;
  if (!ok) throw new Error(`the pin store entry ${where} is not a pin (backend, tool, hash, definition, pinnedAt)`);
  return { backend: r.backend!, tool: r.tool!, hash: r.hash!, definition: r.definition!, pinnedAt: r.pinnedAt! };
}
