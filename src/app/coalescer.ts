// Damps list_changed storms (envoy#1924, a flapping backend): the first change is announced at
// once, further changes within the window are merged and announced once when it ends.
import type { ListKind } from '../backends/connector.js';

export class ChangeCoalescer {
  #windowMs: number;
  #emit: (kinds: ListKind[]) => void;
  #pending = new Set<ListKind>();
  #timer: NodeJS.Timeout | undefined;

  constructor(windowMs: number, emit: (kinds: ListKind[]) => void) {
    this.#windowMs = windowMs;
    this.#emit = emit;
  }

  push(kinds: readonly ListKind[]): void {
    if (this.#timer) {
      for (const k of kinds) this.#pending.add(k);
      return;
    }
    this.#emit([...kinds]);
    this.#arm();
  }

  #arm(): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#pending.size === 0) return;
      const kinds = [...this.#pending];
      this.#pending.clear();
      this.#emit(kinds);
      this.#arm();
    }, this.#windowMs);
    this.#timer.unref();
  }

  close(): void {
    clearTimeout(this.#timer);
  }
}
