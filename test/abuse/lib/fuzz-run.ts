// Sends fuzz cases to the gateway, a few at a time, and sorts what came back: any HTTP 5xx, hang
// or dropped connection is a finding (with the case's trace); everything else is tallied.
import { Agent } from 'node:http';
import type { FuzzCase } from './fuzz-messages.js';
import { raw, seen } from './raw.js';

export interface Finding {
  index: number;
  trace: string[];
  what: string;
}

export interface FuzzReport {
  sent: number;
  statuses: Record<number, number>;
  findings: Finding[];
}

const CASE_TIMEOUT_MS = 15_000;

async function one(base: string, c: FuzzCase, agent: Agent, maxBodyBytes: number, report: FuzzReport): Promise<void> {
  const size = c.body === undefined ? 0 : Buffer.byteLength(c.body);
  try {
    const res = await raw(`${base}${c.path}`, {
      method: c.httpMethod,
      headers: c.headers,
      body: c.body,
      agent,
      timeoutMs: CASE_TIMEOUT_MS,
    });
    report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
    if (res.status >= 500) report.findings.push({ index: c.index, trace: c.trace, what: seen(res) });
  } catch (err) {
    // The gateway may close the connection on an oversized body before reading it all.
    if (size > maxBodyBytes) return;
    report.findings.push({ index: c.index, trace: c.trace, what: `transport: ${(err as Error).message}` });
  }
}

/** Send every case with `concurrency` in flight; stop early if `alive()` turns false. */
export async function runFuzz(
  base: string,
  cases: Iterable<FuzzCase>,
  opts: { concurrency: number; maxBodyBytes: number; alive: () => boolean },
): Promise<FuzzReport> {
  const report: FuzzReport = { sent: 0, statuses: {}, findings: [] };
  const agent = new Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const iterator = cases[Symbol.iterator]();
  const worker = async () => {
    for (let next = iterator.next(); !next.done && opts.alive(); next = iterator.next()) {
      report.sent += 1;
      await one(base, next.value, agent, opts.maxBodyBytes, report);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  agent.destroy();
  return report;
}

/** Findings grouped by what the gateway did (numbers folded), with the first case of each. */
export function describeFindings(findings: readonly Finding[], limit = 10): string {
  const groups = new Map<string, { count: number; first: Finding }>();
  for (const f of findings) {
    const key = f.what.replace(/\d+/g, 'N').slice(0, 160);
    const g = groups.get(key);
    if (g) g.count += 1;
    else groups.set(key, { count: 1, first: f });
  }
  return [...groups.values()]
    .slice(0, limit)
    .map(
      ({ count, first: f }) =>
        `  ${count}× ${JSON.stringify(f.what.slice(0, 240))}\n     e.g. case ${f.index}: ${JSON.stringify(f.trace).slice(0, 300)}`,
    )
    .join('\n');
}
