// The events the edge listens to (emitted by the composition root's typed emitter).
import type { JsonObject } from '../protocol/index.js';

export type ListKind = 'tools' | 'prompts' | 'resources';

export interface EdgeEvents {
  on(event: 'listChanged', listener: (kinds: readonly ListKind[]) => void): unknown;
  on(event: 'resourceUpdated', listener: (uri: string, params: JsonObject) => void): unknown;
}
