// Config pieces shared by the abuse tests, and their time budget (shorter in CI).
import { FIXTURES } from '../../helpers/gateway.js';

export const IN_CI = process.env['CI'] === 'true';

/** How long a sustained attack runs: VMCP_ABUSE_SECONDS, else 15 s in CI and 60 s locally. */
export function abuseSeconds(): number {
  const set = Number(process.env['VMCP_ABUSE_SECONDS']);
  return Number.isFinite(set) && set > 0 ? set : IN_CI ? 15 : 60;
}

/** How many messages the fuzzer sends: VMCP_FUZZ_MESSAGES, else 1,000 in CI and 5,000 locally. */
export function fuzzMessages(): number {
  const set = Number(process.env['VMCP_FUZZ_MESSAGES']);
  return Number.isInteger(set) && set > 0 ? set : IN_CI ? 1000 : 5000;
}

export function stdio(name: string, script: string, args: string[] = [], extra: Record<string, unknown> = {}) {
  return { name, transport: 'stdio', command: 'node', args: [`${FIXTURES}/${script}`, ...args], ...extra };
}

/** The canary's own backend: the smallest echo server, nothing else talks to it. */
export const CANARY_BACKEND = stdio('canary', 'echo.mjs');
export const CANARY_TOOL = 'canary_echo';
