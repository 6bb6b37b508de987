// Listeners of the catalog are told in turn; one that throws is reported, never thrown into the
// build that told it (the others are still told).
import { describeError } from '../backends/errors.js';
import { channels, publish, type WarningEvent } from '../observability/channels.js';

export function notifyListeners<A extends unknown[]>(listeners: Iterable<(...args: A) => void>, ...args: A): void {
  for (const listener of listeners) {
    try {
      listener(...args);
    } catch (err) {
      publish<WarningEvent>(channels.warning, { source: 'catalog', message: `a catalog listener failed: ${describeError(err)}` });
    }
  }
}
