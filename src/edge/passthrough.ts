// The configured passthrough headers of one client request, attached to its principal so every
// backend request made for it carries them (backends/per-user-connector.ts keys sessions on them).
import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../auth/types.js';

export function withForwarded(principal: Principal, headers: IncomingHttpHeaders, names: readonly string[] | undefined): Principal {
  if (!names || names.length === 0) return principal;
  const forwarded: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (value === undefined) continue;
    forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  if (Object.keys(forwarded).length === 0) return principal;
  // A copy with every property as it was: the raw token stays non-enumerable (a spread would drop it).
  return Object.create(Object.getPrototypeOf(principal) as object, {
    ...Object.getOwnPropertyDescriptors(principal),
    forwarded: { value: Object.freeze(forwarded), enumerable: true },
  }) as Principal;
}
