// Advertised names. Tool names must fit the limit clients enforce (Claude 64, user-asks #14/#15):
// a longer name is shortened to `first (max-9) chars + "_" + 8 hex of sha256(full name)` — a
// documented, deterministic rule; a collision after shortening is reported, never silent.
import { createHash } from 'node:crypto';

export function prefixFor(format: string, backend: string): string {
  return format.replaceAll('{workload}', backend);
}

export function fitName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - 9)}_${hash}`;
}
