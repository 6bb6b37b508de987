// A secret value from the config (an env var or a file: header values, client secrets). It lives
// in config/ because config/ is a leaf (it may import nothing else of ours) and is where secrets
// are read; src/auth/types.ts re-exports it as part of the identity vocabulary.
//
// Issue 6 §6: tokens, keys and client secrets never appear in logs, errors, /status or traces.
// Every way a value is usually turned into text (String(), template literals, JSON.stringify,
// util.inspect/console.log) prints a mask; only an explicit reveal() yields the value.

export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '***';
  }
  toJSON(): string {
    return '***';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret(***)';
  }
}
