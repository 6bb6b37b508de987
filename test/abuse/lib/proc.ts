// Process facts from Linux /proc: resident memory, and a sampler that records its peak while an
// abuse test runs (the gateway must stay bounded, not merely survive).
import { readdirSync, readFileSync } from 'node:fs';

/** Resident set size in bytes (0 once the process is gone). */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Open file descriptors of a process (-1 once it is gone). */
export function openFds(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return -1;
  }
}

export const MiB = 1024 * 1024;

export class RssSampler {
  readonly #pid: number;
  readonly #timer: NodeJS.Timeout;
  readonly baseline: number;
  peak: number;

  constructor(pid: number, everyMs = 100) {
    this.#pid = pid;
    this.baseline = rssBytes(pid);
    this.peak = this.baseline;
    this.#timer = setInterval(() => this.sample(), everyMs).unref();
  }

  sample(): number {
    const now = rssBytes(this.#pid);
    if (now > this.peak) this.peak = now;
    return now;
  }

  /** Peak growth over the baseline, in bytes. */
  get growth(): number {
    return this.peak - this.baseline;
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  describe(): string {
    return `RSS baseline ${(this.baseline / MiB).toFixed(0)} MiB, peak ${(this.peak / MiB).toFixed(0)} MiB (growth ${(this.growth / MiB).toFixed(0)} MiB)`;
  }
}
