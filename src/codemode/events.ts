// What code mode reports about each script, on node:diagnostics_channel (the logger and metrics
// subscribe in app/). Never the script, its data or its result: they may hold secrets.
import diagnostics from 'node:diagnostics_channel';
import type { LimitName } from './limits.js';

export interface ScriptEvent {
  readonly durationMs: number;
  readonly status: 'ok' | 'error';
  /** The limit that ended the script, if one did. */
  readonly limit?: LimitName;
  readonly calls: number;
  readonly failedCalls: number;
  readonly scriptChars: number;
}

export const scriptChannel = diagnostics.channel('vmcp:codemode:script');
