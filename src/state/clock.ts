// The one clock (house rule 12): everything time-based takes a Clock, so tests can inject one.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
