// Summary of a V8 .cpuprofile (written by `node --cpu-prof`, see `npm run bench -- --cpu-prof`):
// the top frames by self and by inclusive time, and self time by package, as Markdown.
import fs from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
}

interface FrameTotals {
  self: number;
  inclusive: number;
}

function frameKey(n: ProfileNode, root: string): string {
  const { functionName, url, lineNumber } = n.callFrame;
  const file = url.startsWith('file://') ? path.relative(root, url.slice(7)) : url;
  return `${functionName || '(anonymous)'} ${file ? `${file}:${lineNumber + 1}` : ''}`.trim();
}

export function packageOf(url: string, functionName = ''): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'native';
  if (url.startsWith('node:')) return 'node internals';
  const nm = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (/\/(dist|src)\//.test(url)) return 'vmcp';
  return 'other';
}

/** Self and inclusive samples per frame; a recursive frame counts once per sample. Idle samples are left out. */
function totals(
  p: Profile,
  root: string,
): { frames: Map<string, FrameTotals>; packages: Map<string, number>; total: number; idle: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const frames = new Map<string, FrameTotals>();
  const packages = new Map<string, number>();
  const onStack = new Map<string, number>();
  let total = 0;
  let idle = 0;
  const visit = (n: ProfileNode): number => {
    const key = frameKey(n, root);
    if (n.callFrame.functionName === '(idle)') {
      idle += n.hitCount ?? 0;
      return 0;
    }
    const self = n.hitCount ?? 0;
    total += self;
    const pkg = packageOf(n.callFrame.url, n.callFrame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + self);
    onStack.set(key, (onStack.get(key) ?? 0) + 1);
    let sub = self;
    for (const c of n.children ?? []) sub += visit(byId.get(c)!);
    onStack.set(key, onStack.get(key)! - 1);
    const t = frames.get(key) ?? { self: 0, inclusive: 0 };
    t.self += self;
    if (onStack.get(key) === 0) t.inclusive += sub;
    frames.set(key, t);
    return sub;
  };
  const root0 = p.nodes[0];
  if (root0) visit(root0);
  return { frames, packages, total, idle };
}

export function summarizeProfile(file: string, root: string, title: string, top = 25): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const { frames, packages, total, idle } = totals(profile, root);
  const pct = (v: number) => `${((100 * v) / Math.max(1, total)).toFixed(1)}%`;
  const rows = (by: 'self' | 'inclusive') =>
    [...frames]
      .filter(([k]) => !k.startsWith('(root)'))
      .sort((a, b) => b[1][by] - a[1][by])
      .slice(0, top)
      .map(([k, t]) => `| ${pct(t[by])} | ${pct(by === 'self' ? t.inclusive : t.self)} | \`${k.replace(/\|/g, '\\|')}\` |`);
  return [
    `# CPU profile of ${title}`,
    '',
    `Profile: \`${file}\`, ${total} busy samples (${idle} idle samples left out; percentages are of busy time). ` +
      'Open it in Chrome DevTools (Performance → Load profile) for the full tree.',
    '',
    '## Self time by package',
    '',
    '| package | self |',
    '|---|---:|',
    ...[...packages]
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `| ${k} | ${pct(v)} |`),
    '',
    `## Top ${top} frames by inclusive time`,
    '',
    '| inclusive | self | frame |',
    '|---:|---:|---|',
    ...rows('inclusive'),
    '',
    `## Top ${top} frames by self time`,
    '',
    '| self | inclusive | frame |',
    '|---:|---:|---|',
    ...rows('self'),
    '',
  ].join('\n');
}
