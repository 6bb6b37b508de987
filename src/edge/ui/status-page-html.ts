// The status page: one self-contained, read-only HTML document (no CDN, no framework) shipped in
// the package as a string, so it works from the npm tarball as from the source tree. Its script
// polls `status` and `api/stats` (relative: it works behind a path prefix) every 2 s and builds
// the DOM with createElement/textContent only: backend names, messages and reasons are untrusted
// text and never reach innerHTML. The CSP (status-page.ts) allows exactly this script and style.

export const STATUS_PAGE_STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5rem;color:#1b1f24;background:#f6f8fa}
h1{font-size:1.3rem;margin:0 0 .3rem}
.muted{color:#57606a}
.badge{display:inline-block;padding:.1rem .55rem;border-radius:1rem;font-weight:600;color:#fff;background:#6e7781}
.Ready,.ready,.healthy,.closed{background:#1a7f37}
.Degraded,.degraded,.half-open,.unauthenticated{background:#9a6700}
.Failed,.unavailable,.unhealthy,.open{background:#cf222e}
table{border-collapse:collapse;margin-top:1rem;background:#fff;min-width:60rem}
th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}
th{background:#eaeef2}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
#banner{display:none;margin:.6rem 0;padding:.5rem;background:#ffebe9;border:1px solid #cf222e}
`;

export const STATUS_PAGE_SCRIPT = `
'use strict';
const REFRESH_MS = 2000;
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}
function badge(text) { return el('span', text, 'badge ' + String(text).replace(/[^A-Za-z-]/g, '')); }
function ms(v) { return typeof v === 'number' ? v.toFixed(v < 10 ? 2 : 0) + ' ms' : '–'; }
function cell(row, content, cls) {
  const td = el('td', undefined, cls);
  if (content instanceof Node) td.appendChild(content); else td.textContent = content === undefined ? '–' : String(content);
  row.appendChild(td);
}
function render(status, stats) {
  document.getElementById('name').textContent = status.name + ' ' + status.version;
  document.getElementById('phase').replaceChildren(badge(status.phase));
  document.getElementById('message').textContent = status.message;
  const sessions = Object.entries(stats.sessions || {}).map(([era, n]) => era + ': ' + n).join(', ') || 'none';
  document.getElementById('sessions').textContent = sessions;
  document.getElementById('window').textContent = String(stats.windowSeconds);
  document.getElementById('updated').textContent = new Date().toLocaleTimeString();
  const body = document.getElementById('backends');
  const rows = status.backends.map((b) => {
    const s = (stats.backends || {})[b.name] || {};
    const tr = el('tr');
    tr.dataset.backend = b.name;
    tr.dataset.status = b.status;
    cell(tr, b.name);
    cell(tr, badge(b.status));
    cell(tr, b.health);
    cell(tr, badge(b.circuit));
    cell(tr, b.reason ? b.message + ' (' + b.reason + ')' : b.message);
    cell(tr, b.tools, 'num');
    cell(tr, b.resources, 'num');
    cell(tr, b.prompts, 'num');
    cell(tr, typeof s.ratePerSecond === 'number' ? s.ratePerSecond.toFixed(2) : '0.00', 'num');
    cell(tr, s.errors || 0, 'num');
    cell(tr, ms(s.p50Ms), 'num');
    cell(tr, ms(s.p99Ms), 'num');
    return tr;
  });
  body.replaceChildren(...rows);
}
async function getJson(path) {
  const res = await fetch(path, { cache: 'no-store', headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
  return res.json();
}
async function tick() {
  const banner = document.getElementById('banner');
  try {
    const [status, stats] = await Promise.all([getJson('status'), getJson('api/stats')]);
    render(status, stats);
    banner.style.display = 'none';
  } catch (err) {
    banner.textContent = 'The gateway does not answer: ' + (err && err.message ? err.message : String(err));
    banner.style.display = 'block';
  } finally {
    setTimeout(tick, REFRESH_MS);
  }
}
tick();
`;

export function statusPageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vmcp status</title>
<style>${STATUS_PAGE_STYLE}</style>
</head>
<body>
<h1 id="name">vmcp</h1>
<div><span id="phase"></span> <span id="message" class="muted"></span></div>
<div id="banner" role="alert"></div>
<p class="muted">Live sessions: <span id="sessions">–</span> · call stats over the last <span id="window">60</span> s · updated <span id="updated">–</span></p>
<table>
<thead><tr><th>Backend</th><th>Status</th><th>Health</th><th>Circuit</th><th>Message</th><th>Tools</th><th>Resources</th><th>Prompts</th><th>Calls/s</th><th>Errors</th><th>p50</th><th>p99</th></tr></thead>
<tbody id="backends"></tbody>
</table>
<script>${STATUS_PAGE_SCRIPT}</script>
</body>
</html>
`;
}
