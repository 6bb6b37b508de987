// What a config reload changes: backends are compared by a fingerprint of their normalized
// settings (the backend entry plus its outgoing auth), so only added, removed or changed ones are
// touched; the other sections are compared whole. A secret takes part through a hash of its
// value (a rotated token is a change), never the value itself.
import { createHash } from 'node:crypto';
import type { RuntimeConfig } from '../config/types.js';
import { Secret } from '../config/secret.js';
import { RELOADABLE_SECTIONS } from './feature-list.js';

export interface BackendDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
  readonly unchanged: readonly string[];
}

/** Sections a running gateway applies live, besides the backends. */
export type LiveSection = 'aggregation' | 'authz' | 'features';

export interface ConfigDiff {
  readonly backends: BackendDiff;
  /** Sections that changed and are applied live. */
  readonly live: ReadonlySet<LiveSection>;
  /** The features' sections that changed (each such feature is rebuilt). */
  readonly features: ReadonlySet<keyof RuntimeConfig>;
  /** Changed sections whose new feature refused to start: the previous one keeps serving. */
  readonly kept?: readonly { readonly section: keyof RuntimeConfig; readonly reason: string }[];
  /** Sections that changed but take effect only after a restart (the listener, incoming auth, …). */
  readonly restartOnly: readonly string[];
}

/** Applied only by a restart: the port and the edge are never rebuilt by a reload. */
const RESTART_ONLY = [
  'name',
  'server',
  'incomingAuth',
  'circuitBreaker',
  'statusReportingIntervalMs',
  'logLevel',
  'telemetry',
  'sessionStorage',
  'passthroughHeaders',
] as const;

export function diffConfig(from: RuntimeConfig, to: RuntimeConfig): ConfigDiff {
  const live = new Set<LiveSection>();
  if (fingerprint(from.aggregation) !== fingerprint(to.aggregation)) live.add('aggregation');
  if (fingerprint(from.authz) !== fingerprint(to.authz)) live.add('authz');
  const features = new Set(RELOADABLE_SECTIONS.filter((k) => fingerprint(from[k]) !== fingerprint(to[k])));
  // Pinning applies a new policy through its own reload hook (its store and routes stay).
  if (fingerprint(from.pinning) !== fingerprint(to.pinning)) features.add('pinning');
  if (features.size > 0) live.add('features');
  const restartOnly: string[] = RESTART_ONLY.filter((k) => fingerprint(section(from, k)) !== fingerprint(section(to, k)));
  if (pinningNeedsRestart(from, to)) restartOnly.push('aggregation.pinning');
  return { backends: diffBackends(from, to), live, features, restartOnly };
}

export function diffBackends(from: RuntimeConfig, to: RuntimeConfig): BackendDiff {
  const before = new Map(from.backends.map((b) => [b.name, backendFingerprint(from, b.name)]));
  const after = new Map(to.backends.map((b) => [b.name, backendFingerprint(to, b.name)]));
  const added = [...after.keys()].filter((n) => !before.has(n));
  const removed = [...before.keys()].filter((n) => !after.has(n));
  const both = [...after.keys()].filter((n) => before.has(n));
  return {
    added,
    removed,
    changed: both.filter((n) => before.get(n) !== after.get(n)),
    unchanged: both.filter((n) => before.get(n) === after.get(n)),
  };
}

/** A backend's identity for reloads: its entry and its outgoing auth, normalized, secrets hashed. */
/** Pinning's policy is applied live once it runs; turning it on, or a new store, needs a restart. */
function pinningNeedsRestart(from: RuntimeConfig, to: RuntimeConfig): boolean {
  if (to.pinning.policy === 'off') return false;
  return from.pinning.policy === 'off' || fingerprint(from.pinning.store) !== fingerprint(to.pinning.store);
}

/** The new config as it will run: sections that need a restart keep their running values. */
export function asRunning(from: RuntimeConfig, to: RuntimeConfig): RuntimeConfig {
  const kept: Record<string, unknown> = {};
  for (const key of RESTART_ONLY) kept[key] = from[key];
  return Object.freeze({ ...to, ...kept }) as RuntimeConfig;
}

export function backendFingerprint(config: RuntimeConfig, name: string): string {
  return fingerprint({ backend: config.backends.find((b) => b.name === name), auth: config.outgoingAuth[name] });
}

/** `incomingAuth` without `authz`: policies are applied live, the authenticator is not. */
function section(config: RuntimeConfig, key: (typeof RESTART_ONLY)[number]): unknown {
  if (key !== 'incomingAuth') return config[key];
  const { authz: _authz, ...rest } = config.incomingAuth as unknown as Record<string, unknown>;
  return rest;
}

export function fingerprint(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)) ?? 'undefined')
    .digest('hex');
}

/** Sorted keys, secrets as a hash of their value, functions dropped: equal settings, equal text. */
function canonical(value: unknown): unknown {
  if (value instanceof Secret) return { secret: createHash('sha256').update(value.reveal()).digest('hex') };
  if (Array.isArray(value)) return value.map(canonical);
  if (value instanceof Map) return canonical(Object.fromEntries(value));
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? undefined : value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = canonical((value as Record<string, unknown>)[key]);
  return out;
}
