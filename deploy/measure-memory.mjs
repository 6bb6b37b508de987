#!/usr/bin/env node
// Sizes the Kubernetes resource requests: runs the real CLI (`node bin/vmcp.js serve`, the demo
// config unless --config), then samples the resident memory (VmRSS) and CPU time of the gateway
// and of its whole process tree (the stdio backends live in the same container) while idle and
// under a short load of concurrent MCP sessions calling tools. Needs `npm run build` first.
//
//   node deploy/measure-memory.mjs [--sessions 20] [--seconds 20] [--idle-seconds 10] [--config FILE]
//
// Prints a JSON summary; docs/scaling.md quotes it. Linux only (/proc), loopback only.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    sessions: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '20' },
    'idle-seconds': { type: 'string', default: '10' },
    config: { type: 'string' },
  },
});
const SESSIONS = Number(values.sessions);
const LOAD_MS = Number(values.seconds) * 1000;
const IDLE_MS = Number(values['idle-seconds']) * 1000;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** pid → {ppid, rssKiB, cpuTicks} for every live process. */
function processTable() {
  const table = new Map();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      table.set(pid, { ppid: Number(fields[1]), rssKiB: Number(rss?.[1] ?? 0), cpuTicks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we read it
    }
  }
  return table;
}

/** The gateway's own figures and the sum over it and all its descendants. */
function sample(root) {
  const table = processTable();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, p] of table) if (p.ppid === tree[i]) tree.push(pid);
  const sum = (key) => tree.reduce((n, pid) => n + (table.get(pid)?.[key] ?? 0), 0);
  const own = table.get(root);
  return { gatewayKiB: own?.rssKiB ?? 0, treeKiB: sum('rssKiB'), gatewayTicks: own?.cpuTicks ?? 0, treeTicks: sum('cpuTicks') };
}

async function watch(pid, ms) {
  const start = sample(pid);
  const began = Date.now();
  const peak = { gatewayKiB: 0, treeKiB: 0 };
  while (Date.now() - began < ms) {
    const s = sample(pid);
    peak.gatewayKiB = Math.max(peak.gatewayKiB, s.gatewayKiB);
    peak.treeKiB = Math.max(peak.treeKiB, s.treeKiB);
    await delay(200);
  }
  const end = sample(pid);
  const seconds = (Date.now() - began) / 1000;
  const cores = (ticks) => Number((ticks / TICKS_PER_SECOND / seconds).toFixed(3));
  return {
    end: { gatewayMiB: mib(end.gatewayKiB), treeMiB: mib(end.treeKiB) },
    peak: { gatewayMiB: mib(peak.gatewayKiB), treeMiB: mib(peak.treeKiB) },
    cpuCores: { gateway: cores(end.gatewayTicks - start.gatewayTicks), tree: cores(end.treeTicks - start.treeTicks) },
  };
}

const mib = (kib) => Number((kib / 1024).toFixed(1));

async function session(url) {
  const client = new Client({ name: 'vmcp-measure', version: '0.1.0' }, { capabilities: {} });
  const transport = new StreamableHTTPClientTransport(new URL(url));
  await client.connect(transport);
  return { client, transport };
}

/** Every session calls tools back to back until the deadline: echo, then a memory read. */
async function load(url, until) {
  const sessions = await Promise.all(Array.from({ length: SESSIONS }, () => session(url)));
  let calls = 0;
  let errors = 0;
  let firstError;
  await Promise.all(
    sessions.map(async ({ client }, i) => {
      while (Date.now() < until) {
        const call = i % 2 === 0 ? { name: 'everything_echo', arguments: { message: 'hi' } } : { name: 'memory_read_graph', arguments: {} };
        const result = await client
          .callTool(call)
          .catch((e) => ({ isError: true, content: [{ type: 'text', text: `${e}${e?.cause ? `: ${e.cause}` : ''}` }] }));
        if (result.isError) {
          errors += 1;
          firstError ??= result.content?.[0]?.text;
        }
        calls += 1;
      }
    }),
  );
  await Promise.all(
    sessions.map(({ client, transport }) =>
      transport.terminateSession().then(
        () => client.close(),
        () => client.close(),
      ),
    ),
  );
  return { calls, errors, firstError };
}

/** The MCP URL once GET /readyz says every backend is up. */
async function ready(gateway, out) {
  for (const until = Date.now() + 60_000; Date.now() < until; await delay(100)) {
    if (gateway.exitCode !== null) throw new Error(`vmcp exited: ${out()}`);
    const url = /listening on (\S+)/.exec(out())?.[1];
    if (
      url &&
      (await fetch(new URL('/readyz', url)).then(
        (r) => r.ok,
        () => false,
      ))
    )
      return url;
  }
  throw new Error(`vmcp did not get ready: ${out()}`);
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'vmcp-measure-'));
  const args = ['bin/vmcp.js', 'serve', '--port', '0', '--log-level', 'warn', ...(values.config ? ['--config', values.config] : [])];
  const gateway = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, TMPDIR: work }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    gateway.stdout.on('data', (d) => void (out += d));
    const url = await ready(gateway, () => out);
    const idle = await watch(gateway.pid, IDLE_MS);
    const [loaded, result] = await Promise.all([watch(gateway.pid, LOAD_MS), load(url, Date.now() + LOAD_MS)]);
    const after = await watch(gateway.pid, 2000);
    const report = {
      node: process.version,
      sessions: SESSIONS,
      loadSeconds: LOAD_MS / 1000,
      callsPerSecond: Math.round(result.calls / (LOAD_MS / 1000)),
      errors: result.errors,
      firstError: result.firstError,
      // CPU time is what a call costs whatever else runs on the machine; calls/s is not.
      cpuMsPerCall: {
        gateway: Number(((loaded.cpuCores.gateway * LOAD_MS) / result.calls).toFixed(2)),
        tree: Number(((loaded.cpuCores.tree * LOAD_MS) / result.calls).toFixed(2)),
      },
      loadAverage: loadavg().map((n) => Number(n.toFixed(1))),
      idle,
      load: loaded,
      afterLoad: after.end,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    gateway.kill('SIGTERM');
    await new Promise((r) => (gateway.exitCode === null ? gateway.once('exit', r) : r()));
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
