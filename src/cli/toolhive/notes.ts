// What an import could not carry over as is: each note becomes a YAML comment next to what it
// concerns, and the ones that need the user's action are listed again on stderr.

export interface Note {
  /** Where in the output, e.g. `backends[0]`, `incomingAuth`; '' for the whole file. */
  readonly at: string;
  readonly message: string;
  /** The output runs, but not as it did in Kubernetes until the user acts. */
  readonly attention: boolean;
}

export class Notes {
  readonly list: Note[] = [];
  /** Environment variables the output reads, with where their values live in Kubernetes. */
  readonly env = new Map<string, string>();

  info(at: string, message: string): void {
    this.#add({ at, message, attention: false });
  }

  attention(at: string, message: string): void {
    this.#add({ at, message, attention: true });
  }

  #add(note: Note): void {
    if (!this.list.some((n) => n.at === note.at && n.message === note.message)) this.list.push(note);
  }

  /** An env var for a Kubernetes Secret key (`{name, key}`). */
  secretEnv(ref: unknown, fallback: string): string {
    const r = (typeof ref === 'object' && ref !== null ? ref : {}) as { name?: unknown; key?: unknown };
    const name = typeof r.name === 'string' ? r.name : fallback;
    const key = typeof r.key === 'string' ? r.key : 'value';
    const env = `${name}_${key}`.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
    this.env.set(env, `key "${key}" of Secret "${name}"`);
    return env;
  }
}
