// Query expansion from a small, general vocabulary of software work: abbreviations (always meant
// as the full word) and groups of everyday synonyms for the same operation or object. Nothing here
// names a particular server or tool; the table is the kind every search box for developer tools
// carries, and `expansion: 'none'` turns it off (the benchmark reports both).
import { terms } from './tokenize.js';

/** Abbreviation → what it stands for: weighted like the word itself. */
const ABBREVIATIONS: Readonly<Record<string, string>> = {
  pr: 'pull request',
  prs: 'pull requests',
  mr: 'merge request',
  mrs: 'merge requests',
  repo: 'repository',
  repos: 'repositories',
  dir: 'directory',
  dirs: 'directories',
  k8s: 'kubernetes',
  db: 'database',
  env: 'environment',
  js: 'javascript',
  msg: 'message',
  img: 'image',
  ci: 'continuous integration pipeline',
};

/** Interchangeable words: each one also finds the others, at a lower weight than itself. */
const GROUPS: readonly string[] = [
  // operations
  'create make add new',
  'delete remove erase destroy drop',
  'update modify edit change',
  'get fetch retrieve obtain read',
  'show view display see list',
  'search find lookup query',
  'run execute invoke',
  'start launch begin',
  'stop terminate kill halt cancel',
  'send post',
  'write save',
  'comment reply respond',
  'merge land integrate combine',
  'approve review',
  'fork copy clone',
  'download clone pull',
  'upload push',
  'stash shelve',
  'tag mark',
  'install deploy',
  'navigate visit browse',
  'type enter fill',
  'hover mouse',
  'switch context',
  // objects
  'directory folder',
  'issue bug ticket',
  'image picture photo png jpeg jpg gif media',
  'page webpage tab',
  'website site',
  'web internet online',
  'history recent latest',
  'allowed permitted permission',
  'dialog alert popup modal',
  'map sitemap',
  'geocode coordinates latitude longitude',
  'elevation altitude',
  'distance travel drive',
  'aggregate totals grouping',
  'field column',
  'record row entry',
  'user member people person',
  'refund reimburse',
  'subscription recurring plan',
  'invoice bill',
  'balance funds',
  'documentation docs',
  'process command shell terminal',
  'flaky intermittent unstable',
  'relation relationship',
  'observation fact',
];

/** How much an expansion term counts next to a word the query really contains. */
export const SYNONYM_WEIGHT = 0.5;

export type Expansion = 'synonyms' | 'none';

function buildTable(): ReadonlyMap<string, readonly { term: string; weight: number }[]> {
  const table = new Map<string, { term: string; weight: number }[]>();
  const add = (from: string, to: string, weight: number): void => {
    const key = terms(from)[0];
    if (key === undefined) return;
    const list = table.get(key) ?? [];
    for (const term of terms(to)) if (term !== key) list.push({ term, weight });
    table.set(key, list);
  };
  for (const [short, long] of Object.entries(ABBREVIATIONS)) add(short, long, 1);
  for (const group of GROUPS) {
    const members = group.split(' ');
    for (const a of members) for (const b of members) if (a !== b) add(a, b, SYNONYM_WEIGHT);
  }
  return table;
}

let table: ReturnType<typeof buildTable> | undefined;

/** The extra (term, weight) pairs one query term brings. */
export function expand(term: string): readonly { term: string; weight: number }[] {
  table ??= buildTable();
  return table.get(term) ?? [];
}
