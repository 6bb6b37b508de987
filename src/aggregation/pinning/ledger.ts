// The pins of one gateway and what a backend's tool list may show against them. A tool never seen
// is pinned as it is (trust on first use); a pinned tool whose definition hash differs is
// "changed" until someone approves its new definition. The policy decides what a changed tool
// does to the list: warn keeps it, hide holds it back, quarantine holds back every tool of its
// backend. Decisions are cached per backend list (a build re-evaluates only lists that changed).
import type { JsonObject } from '../../backends/connector.js';
import type { PinPolicy } from '../../config/types.js';
import { pinKey, type PinRecord } from '../../state/pin-store.js';
import { toolPin } from './canonical.js';

export type ActivePolicy = Exclude<PinPolicy, 'off'>;

export interface ChangedTool {
  readonly backend: string;
  readonly tool: string;
  readonly hash: string;
  readonly definition: Readonly<Record<string, unknown>>;
  readonly seenAt: string;
}

export type LedgerEvent =
  | { readonly kind: 'changed'; readonly backend: string; readonly tool: string; readonly pinnedHash: string; readonly currentHash: string }
  | {
      readonly kind: 'approved';
      readonly backend: string;
      readonly tool: string;
      readonly pinnedHash: string;
      readonly currentHash: string;
    }
  | { readonly kind: 'quarantined' | 'released'; readonly backend: string; readonly reason: string };

export interface LedgerSink {
  /** New or approved pins to write to the store. */
  persist(records: readonly PinRecord[]): void;
  event(e: LedgerEvent): void;
  /** The number of tools held back changed. */
  held(total: number): void;
}

export interface PinEntry {
  readonly backend: string;
  readonly tool: string;
  readonly status: 'pinned' | 'changed';
  /** Not listed to clients and refused on call. */
  readonly held: boolean;
  readonly hash: string;
  readonly pinnedAt: string;
  readonly currentHash?: string;
  readonly changedAt?: string;
}

export interface Quarantine {
  readonly reason: string;
  readonly since: string;
}

export class PinLedger {
  readonly #pins: Map<string, PinRecord>;
  readonly #changed = new Map<string, ChangedTool>();
  readonly #quarantined = new Map<string, Quarantine>();
  readonly #held = new Map<string, number>();
  readonly #cache = new Map<string, { tools: readonly JsonObject[]; admitted: readonly JsonObject[] }>();
  readonly #sink: LedgerSink;
  readonly #now: () => Date;
  #policy: ActivePolicy;
  #heldTotal = 0;

  constructor(records: readonly PinRecord[], policy: ActivePolicy, sink: LedgerSink, now: () => Date = () => new Date()) {
    this.#pins = new Map(records.map((r) => [pinKey(r.backend, r.tool), r]));
    this.#policy = policy;
    this.#sink = sink;
    this.#now = now;
  }

  get policy(): ActivePolicy {
    return this.#policy;
  }

  /** A new policy (a config reload): every list is decided again. */
  setPolicy(policy: ActivePolicy): void {
    this.#policy = policy;
    this.#cache.clear();
  }

  /** The tools of `backend` that may be listed; the same array when none is held back. */
  admit(backend: string, tools: readonly JsonObject[]): readonly JsonObject[] {
    const hit = this.#cache.get(backend);
    if (hit?.tools === tools) return hit.admitted;
    const admitted = this.#evaluate(backend, tools);
    this.#cache.set(backend, { tools, admitted });
    this.#held.set(backend, tools.length - admitted.length);
    this.#updateHeld();
    return admitted;
  }

  #evaluate(backend: string, tools: readonly JsonObject[]): readonly JsonObject[] {
    const now = this.#now().toISOString();
    const fresh: PinRecord[] = [];
    const present = new Set<string>();
    const kept: JsonObject[] = [];
    for (const tool of tools) {
      const name = tool['name'];
      if (typeof name !== 'string') {
        kept.push(tool);
        continue;
      }
      const key = pinKey(backend, name);
      present.add(key);
      const { definition, hash } = toolPin(tool);
      const pin = this.#pins.get(key);
      if (!pin) {
        const record = { backend, tool: name, hash, definition, pinnedAt: now };
        this.#pins.set(key, record);
        fresh.push(record);
      } else if (pin.hash === hash) this.#changed.delete(key);
      else {
        if (this.#changed.get(key)?.hash !== hash) {
          this.#changed.set(key, { backend, tool: name, hash, definition, seenAt: now });
          this.#sink.event({ kind: 'changed', backend, tool: name, pinnedHash: pin.hash, currentHash: hash });
        }
        if (this.#policy !== 'warn') continue;
      }
      kept.push(tool);
    }
    for (const [key, c] of this.#changed) if (c.backend === backend && !present.has(key)) this.#changed.delete(key);
    if (fresh.length > 0) this.#sink.persist(fresh);
    const changed = this.changedOf(backend);
    if (this.#policy === 'quarantine' && changed.length > 0 && !this.#quarantined.has(backend)) {
      const reason = `tool definitions changed since they were pinned: ${changed.map((c) => c.tool).join(', ')}`;
      this.#quarantined.set(backend, { reason, since: now });
      this.#sink.event({ kind: 'quarantined', backend, reason });
    }
    if (this.#policy === 'quarantine' && this.#quarantined.has(backend)) return [];
    return kept.length === tools.length ? tools : kept;
  }

  changedOf(backend: string): ChangedTool[] {
    return [...this.#changed.values()].filter((c) => c.backend === backend);
  }

  get changed(): readonly ChangedTool[] {
    return [...this.#changed.values()];
  }

  pin(backend: string, tool: string): PinRecord | undefined {
    return this.#pins.get(pinKey(backend, tool));
  }

  /** Why calls to this backend's tools are refused, while the policy is quarantine and it is quarantined. */
  quarantine(backend: string): Quarantine | undefined {
    return this.#policy === 'quarantine' ? this.#quarantined.get(backend) : undefined;
  }

  get quarantined(): ReadonlyMap<string, Quarantine> {
    return this.#policy === 'quarantine' ? this.#quarantined : new Map();
  }

  /** Whether a call to this tool is refused by pinning right now. */
  isHeld(backend: string, tool: string): boolean {
    if (this.#policy === 'warn') return false;
    if (this.quarantine(backend)) return true;
    return this.#changed.has(pinKey(backend, tool));
  }

  entries(): PinEntry[] {
    return [...this.#pins.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, p]) => {
        const c = this.#changed.get(key);
        return {
          backend: p.backend,
          tool: p.tool,
          status: c ? 'changed' : 'pinned',
          held: this.isHeld(p.backend, p.tool),
          hash: p.hash,
          pinnedAt: p.pinnedAt,
          ...(c ? { currentHash: c.hash, changedAt: c.seenAt } : {}),
        };
      });
  }

  /**
   * Accept the current definitions of these changed tools (keys `backend/tool`) and lift the
   * quarantine of `release` backends and of every backend left with no changed tool.
   */
  approve(keys: readonly string[], release: readonly string[] = []): ChangedTool[] {
    const now = this.#now().toISOString();
    const approved: ChangedTool[] = [];
    const records: PinRecord[] = [];
    for (const key of new Set(keys)) {
      const c = this.#changed.get(key);
      const pin = this.#pins.get(key);
      if (!c || !pin) continue;
      const record = { backend: c.backend, tool: c.tool, hash: c.hash, definition: c.definition, pinnedAt: now };
      this.#pins.set(key, record);
      this.#changed.delete(key);
      records.push(record);
      approved.push(c);
      this.#sink.event({ kind: 'approved', backend: c.backend, tool: c.tool, pinnedHash: pin.hash, currentHash: c.hash });
    }
    if (records.length > 0) this.#sink.persist(records);
    const touched = new Set([...release, ...approved.map((c) => c.backend)]);
    for (const backend of touched) {
      const q = this.#quarantined.get(backend);
      if (!q || this.changedOf(backend).length > 0) continue;
      this.#quarantined.delete(backend);
      this.#sink.event({ kind: 'released', backend, reason: q.reason });
    }
    this.#cache.clear();
    return approved;
  }

  /** Tools held back from the lists right now (metrics). */
  get heldTotal(): number {
    return this.#heldTotal;
  }

  #updateHeld(): void {
    let total = 0;
    for (const n of this.#held.values()) total += n;
    if (total === this.#heldTotal) return;
    this.#heldTotal = total;
    this.#sink.held(total);
  }

  /** Backends removed from the config: their held counts go (their pins stay for when they return). */
  present(backends: ReadonlySet<string>): void {
    for (const backend of this.#held.keys()) {
      if (backends.has(backend)) continue;
      this.#held.delete(backend);
      this.#cache.delete(backend);
    }
    this.#updateHeld();
  }
}
