// The session records this replica holds, and whether it may answer for one without asking Redis.
// A record is vouched for while three things hold: Redis confirmed it (and slid its TTL) less than
// half a TTL ago, so it cannot have expired since; no other replica announced a change to it
// since (every update and delete is announced on the replica bus); and this replica has been
// listening to the bus without a gap since that confirmation, so no announcement was missed. A
// session that has not finished its handshake is never vouched for (its short TTL does not slide).

export interface HeldRecord {
  /** The record as last read or written here (JSON). */
  text: string;
  /** When Redis last confirmed `text` current; -Infinity when it may not be. */
  confirmedAt: number;
  /** When this replica last slid the record's TTL in Redis. */
  slidAt: number;
  /** A background slide is on its way. */
  sliding: boolean;
}

export class HeldRecords {
  readonly #records = new Map<string, HeldRecord>();
  readonly #vouchMs: number;
  /** Counts changes (announced, made here, forgotten): a read that overlapped one may have returned what it replaced. */
  #generation = 0;

  constructor(ttlMs: number) {
    this.#vouchMs = ttlMs / 2;
  }

  get generation(): number {
    return this.#generation;
  }

  ids(): string[] {
    return [...this.#records.keys()];
  }

  get(id: string): HeldRecord | undefined {
    return this.#records.get(id);
  }

  /**
   * `text` was read or written at `sentAt` (when the command left, so never later than Redis ran
   * it); it is confirmed only when the record is initialized and no announcement came in between.
   */
  remember(id: string, text: string, initialized: boolean, sentAt: number, generation: number): void {
    const confirmedAt = initialized && generation === this.#generation ? sentAt : -Infinity;
    const held = this.#records.get(id);
    if (!held) {
      this.#records.set(id, { text, confirmedAt, slidAt: sentAt, sliding: false });
      return;
    }
    held.text = text;
    held.confirmedAt = confirmedAt;
    held.slidAt = sentAt;
  }

  /** Another replica changed or ended the record: it must be read from Redis again. */
  invalidate(id: string): void {
    this.#generation++;
    const held = this.#records.get(id);
    if (held) held.confirmedAt = -Infinity;
  }

  /** The record may be answered from here at `now`, given since when the bus has been heard without a gap. */
  vouched(held: HeldRecord, now: number, listeningSince: number | undefined): boolean {
    return listeningSince !== undefined && held.confirmedAt >= listeningSince && now - held.confirmedAt < this.#vouchMs;
  }

  /** The record is no longer held here; a read still on its way may not bring it back as confirmed. */
  forget(id: string): void {
    this.#generation++;
    this.#records.delete(id);
  }

  clear(): void {
    this.#records.clear();
  }
}
