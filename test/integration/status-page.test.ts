// The status page in a real headless Chromium: it renders every backend with its call stats, and
// it changes by itself when a backend goes away. Backend names are rendered as text, never markup.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import {
  FIXTURES,
  ROOT,
  connectClient,
  spawnFixture,
  startGateway,
  stdioBackend,
  type Fixture,
  type TestGateway,
} from '../helpers/gateway.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const OUT = `${ROOT}test-results`;
const HOSTILE = '<img src=x onerror=alert(1)>';
const fast = { interval: '1s', timeout: '900ms', unhealthyThreshold: 2 };

let browser: Browser;
let http: Fixture;
let gw: TestGateway;

before(async () => {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  http = await spawnFixture(`${FIXTURES}/echo.mjs`, ['--transport', 'streamable-http', '--port', '0']);
  gw = await startGateway({
    name: 'status-page',
    backends: [
      stdioBackend('local-echo', `${FIXTURES}/echo.mjs`),
      { name: 'remote-echo', transport: 'streamable-http', url: http.url, health: fast },
    ],
  });
});

after(async () => {
  await gw?.close();
  await http?.close();
  await browser?.close();
});

test('the status page renders every backend, its call stats, and shows a stopped backend as down', async () => {
  await using client = await connectClient(gw.url);
  for (let i = 0; i < 5; i++) await client.callTool({ name: 'local-echo_echo', arguments: { message: `m${i}` } });
  const page = await browser.newPage({ viewport: { width: 1200, height: 320 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => errors.push(`dialog: ${d.message()}`));
  await page.goto(gw.url.replace(/mcp$/, ''));
  const row = (name: string) => page.locator(`tr[data-backend="${name}"]`);
  await row('local-echo').waitFor();
  await row('remote-echo').waitFor();
  await page.waitForSelector('tr[data-backend="remote-echo"][data-status="ready"]', { timeout: 10_000 });
  assert.match((await page.locator('#phase').textContent()) ?? '', /Ready/);
  const cells = await row('local-echo').locator('td').allTextContents();
  assert.equal(cells[5], '1', 'tool count of the echo backend');
  assert.notEqual(cells[8], '0.00', 'a call rate after five calls');
  assert.match(cells[10] ?? '', /ms$/, 'a p50 after five calls');
  assert.match((await page.locator('#sessions').textContent()) ?? '', /legacy: 1/);

  await http.close();
  await page.waitForSelector('tr[data-backend="remote-echo"][data-status="unavailable"]', { timeout: 10_000 });
  assert.match((await page.locator('#phase').textContent()) ?? '', /Degraded/);
  mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: `${OUT}/status-page.png`, fullPage: true });
  assert.deepEqual(errors, []);
});

test('/ui serves the same page, with a CSP that allows no inline handler and no other origin', async () => {
  const res = await fetch(gw.url.replace(/mcp$/, 'ui'));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'sha256-/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  const stats = (await (await fetch(gw.url.replace(/mcp$/, 'api/stats'))).json()) as { windowSeconds: unknown };
  assert.equal(typeof stats.windowSeconds, 'number');
});

test('the page is behind the Host guard and renders hostile backend names as text', async () => {
  assert.equal(await statusOf(new URL(gw.url.replace(/mcp$/, '')), 'evil.example'), 403, 'a foreign Host (DNS rebinding)');
  await using hostile = await startGateway({ name: 'hostile', backends: [stdioBackend('x', `${FIXTURES}/echo.mjs`, ['--name', HOSTILE])] });
  const page = await browser.newPage();
  let dialogs = 0;
  page.on('dialog', (d) => {
    dialogs++;
    void d.dismiss();
  });
  await page.goto(hostile.url.replace(/mcp$/, ''));
  await page.locator('tr[data-backend="x"]').waitFor();
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(dialogs, 0);
});

/** GET with a chosen Host header (fetch does not let a caller set it). */
function statusOf(url: URL, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}
