// Runtime form of `aggregation.pinning` and `aggregation.pinStore` (normalize-pinning.ts).

/** What a changed tool definition does: off = no pins; warn = log, audit, metric, still served; hide = held back until approved; quarantine = the whole backend's tools held back. */
export type PinPolicy = 'off' | 'warn' | 'hide' | 'quarantine';

export type PinStoreConfig = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'redis' };

export interface PinningConfig {
  readonly policy: PinPolicy;
  /** Where pins live: a JSON file (absolute path), or the session storage's Redis. */
  readonly store: PinStoreConfig;
  /** Principal subjects that may approve changes; absent = any caller the incoming auth admits. */
  readonly approvers?: readonly string[];
}
