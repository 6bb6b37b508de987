// Go-style duration strings (as ToolHive uses): a sequence of <number><unit> with units ms, s, m, h,
// e.g. "500ms", "1.5s", "1h30m". Pure; no clock.
import { DURATION_PATTERN } from './schema-common.js';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)/g;

/** The largest delay setTimeout honours; a larger one fires at once (Node prints TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Milliseconds for a duration string, rounded to a whole millisecond; throws RangeError when malformed. */
export function parseDuration(text: string): number {
  if (!DURATION_PATTERN.test(text)) {
    throw new RangeError(`invalid duration "${text}": use e.g. "500ms", "30s", "5m" or "1h30m"`);
  }
  let total = 0;
  for (const match of text.matchAll(PART)) {
    const [, amount = '0', unit = 'ms'] = match;
    total += Number(amount) * (UNIT_MS[unit] ?? 1);
  }
  return Math.round(total);
}

/** Like parseDuration, but undefined instead of throwing (for validators that report, not fail). */
export function tryParseDuration(text: unknown): number | undefined {
  if (typeof text !== 'string' || !DURATION_PATTERN.test(text)) return undefined;
  return parseDuration(text);
}
