// Suite T: what telemetry costs on the hot path. Three gateways on one echo.mjs backend (Streamable
// HTTP), identical but for `telemetry:` — metrics off, metrics on (the default, no section), and
// tracing at 100% sampling (metrics on too) exporting to an OTLP/HTTP sink in this process — are
// measured call by call in turn (one session each; the order rotates every call), so the drift of a
// shared, busy machine hits all three alike; the checks compare each round's p50 against the
// metrics-off gateway's, and report the median of those ratios.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Caller, closeSession, openSession, pickEchoTool, type DriverOptions, type Session } from './driver.js';
import { median, percentile, round } from './stats.js';
import { startEcho, startGateway, type TargetContext } from './targets.js';

export interface TelemetryVariantResult {
  name: string;
  telemetry: Record<string, unknown> | null;
  /** The p50 of each round. */
  callP50: number[];
  median: { callP50: number; callP99: number };
}

export interface TelemetryResult {
  rounds: number;
  variants: TelemetryVariantResult[];
  callsPerRound: number;
  spansReceived: number;
  ratios: { name: string; value: number | null; target: number; status: 'PASS' | 'FAIL' | 'n/a' }[];
  errors: string[];
}

const CHECKS = [
  { variant: 'metrics-on', name: 'call p50 metrics on / off', target: 1.05 },
  { variant: 'tracing-100%', name: 'call p50 tracing 100% / metrics off', target: 1.15 },
] as const;

/** An OTLP/HTTP endpoint that counts the spans it is sent (the JSON encoding) and discards them. */
async function startSink(): Promise<{ url: string; spans: () => number; close: () => Promise<void> }> {
  let spans = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      spans += (body.match(/"spanId"/g) ?? []).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, spans: () => spans, close: () => new Promise<void>((r) => server.close(() => r()).closeAllConnections()) };
}

export async function runTelemetry(
  ctx: TargetContext,
  o: DriverOptions & { rounds: number },
  log: (m: string) => void,
): Promise<TelemetryResult> {
  const sink = await startSink();
  const errors: string[] = [];
  try {
    const echo = await startEcho(ctx, 'echo-backend-telemetry');
    const backend = { name: 'echo', transport: 'streamable-http', url: echo.url };
    const variants: [string, Record<string, unknown> | null][] = [
      ['metrics-off', { metricsEnabled: false }],
      ['metrics-on', null],
      ['tracing-100%', { tracingEnabled: true, endpoint: sink.url, samplingRate: 1 }],
    ];
    const running: Running[] = [];
    for (const [name, telemetry] of variants) {
      const gw = await startGateway(ctx, `gateway-telemetry-${name.replace('%', '')}`, backend, [], telemetry ? { telemetry } : {});
      running.push({ name, telemetry, session: await openSession(gw.url, o.requestTimeoutMs), callP50: [], all: [] });
    }
    const caller = await measure(running, o, log);
    if (caller.errors) errors.push(`${caller.errors} failed call(s), first: ${caller.firstError}`);
    for (const v of running) await closeSession(v.session);
    await new Promise((r) => setTimeout(r, 1500)); // one export interval: the last spans reach the sink
    const results = running.map((v) => ({
      name: v.name,
      telemetry: v.telemetry,
      callP50: v.callP50,
      median: { callP50: median(v.callP50), callP99: percentile(v.all, 99) },
    }));
    return { rounds: o.rounds, callsPerRound: o.calls, variants: results, spansReceived: sink.spans(), ratios: ratiosOf(results), errors };
  } finally {
    await sink.close();
  }
}

/** Every call of a round goes to each gateway in turn, the first one rotating call by call. */
async function measure(running: Running[], o: DriverOptions & { rounds: number }, log: (m: string) => void): Promise<Caller> {
  const tool = pickEchoTool((await running[0]!.session.client.listTools()).tools.map((t) => t.name)) ?? 'echo';
  const caller = new Caller(tool, o.requestTimeoutMs);
  for (let i = 0; i < o.warmup; i++) for (const v of running) await caller.call(v.session.client);
  for (let r = 0; r < o.rounds; r++) {
    const samples = running.map(() => [] as number[]);
    for (let k = 0; k < o.calls; k++) {
      for (let i = 0; i < running.length; i++) {
        const j = (i + k) % running.length;
        samples[j]!.push(await caller.call(running[j]!.session.client));
      }
    }
    running.forEach((v, j) => (v.callP50.push(percentile(samples[j]!, 50)), v.all.push(...samples[j]!)));
    const p50s = running.map((v) => `${v.name} ${v.callP50.at(-1)!.toFixed(3)} ms`).join(', ');
    log(`telemetry round ${r + 1}/${o.rounds}: call p50 ${p50s}`);
  }
  return caller;
}

interface Running {
  name: string;
  telemetry: Record<string, unknown> | null;
  session: Session;
  callP50: number[];
  all: number[];
}

/** The median over rounds of (variant p50 / metrics-off p50 in the same round). */
function ratiosOf(variants: readonly TelemetryVariantResult[]): TelemetryResult['ratios'] {
  const base = variants.find((v) => v.name === 'metrics-off')?.callP50 ?? [];
  return CHECKS.map((c) => {
    const num = variants.find((v) => v.name === c.variant)?.callP50 ?? [];
    const perRound = num.map((x, r) => x / (base[r] ?? NaN)).filter((x) => Number.isFinite(x));
    const value = perRound.length ? round(median(perRound), 3) : null;
    return { name: c.name, value, target: c.target, status: value === null ? 'n/a' : value <= c.target ? 'PASS' : 'FAIL' };
  });
}

export function telemetryMarkdown(t: TelemetryResult): string[] {
  return [
    '',
    `## Telemetry cost: vmcp → echo.mjs (Streamable HTTP), ${t.rounds} round(s) of ${t.callsPerRound} calls per gateway, taken in turn`,
    '',
    `Tracing exported ${t.spansReceived} spans to an OTLP/HTTP sink on loopback. Ratios: median over rounds of the same round's p50s.`,
    '',
    '| gateway | telemetry | call p50 ms (median of rounds) | call p99 ms (all calls) | p50 per round |',
    '|---|---|---:|---:|---|',
    ...t.variants.map(
      (v) =>
        `| ${v.name} | \`${v.telemetry ? JSON.stringify(v.telemetry).replace(/"endpoint":"[^"]*"/, '"endpoint":"<sink>"') : '(no section)'}\` | ` +
        `${v.median.callP50.toFixed(3)} | ${v.median.callP99.toFixed(3)} | ${v.callP50.map((x) => x.toFixed(3)).join(', ')} |`,
    ),
    '',
    '| check | value | target | result |',
    '|---|---:|---:|---|',
    ...t.ratios.map((c) => `| ${c.name} | ${c.value ?? '-'} | <= ${c.target} | ${c.status} |`),
    ...(t.errors.length ? ['', 'Telemetry problems:', '', ...t.errors.map((e) => `- ${e.split('\n')[0]}`)] : []),
  ];
}
