// Hostile JSON values for the fuzzer: wrong types, edge numbers, huge and strange strings, deep
// nesting, prototype-pollution keys. Each comes with a short label for the failure report.
import type { Rng } from './fuzz-rng.js';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface Labelled {
  label: string;
  value: Json;
}

const UNICODE = [
  '\u0000',
  '\ud800',
  '\udfff',
  '\u202e\u202dmirror',
  '\u200b\u200c\u200d\ufeff',
  '😀👩‍👩‍👧‍👦🏳️‍🌈',
  'e\u0301\u0301\u0301',
  '\u0085\u2028\u2029',
  'ﬀ ǅ İ ß',
  '𝕳𝖊𝖑𝖑𝖔',
  '\\u0000 "quoted" \\',
  '../../../etc/passwd',
  '${HOME} $(id) `id`',
  '<script>alert(1)</script>',
];

export function deep(depth: number, leaf: Json = 1): Json {
  let v: Json = leaf;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { d: v };
  return v;
}

export function hugeString(rng: Rng): Labelled {
  const size = rng.weighted([
    [12, rng.range(1_000, 20_000)],
    [3, rng.range(64_000, 256_000)],
    [1, rng.range(256_000, 900_000)],
  ] as const);
  return { label: `string(${size})`, value: rng.pick(['x', 'é', '😀', '\u0000', 'a"b\\']).repeat(size) };
}

export function unicodeString(rng: Rng): Labelled {
  const s = Array.from({ length: rng.range(1, 4) }, () => rng.pick(UNICODE)).join('');
  return { label: `unicode(${JSON.stringify(s).slice(0, 24)})`, value: s };
}

/** Any hostile value. */
export function hostile(rng: Rng): Labelled {
  return rng.weighted<() => Labelled>([
    [3, () => ({ label: 'null', value: null })],
    [2, () => ({ label: String(rng.pick([true, false])), value: rng.pick([true, false]) })],
    [4, () => numberValue(rng)],
    [2, () => ({ label: "''", value: '' })],
    [3, () => unicodeString(rng)],
    [1, () => hugeString(rng)],
    [2, () => ({ label: '[]', value: [] })],
    [2, () => ({ label: '{}', value: {} })],
    [1, () => ({ label: 'array(1000)', value: Array.from({ length: 1000 }, (_, i) => i) })],
    [1, () => ({ label: 'proto-keys', value: JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}') as Json })],
    [2, () => depthValue(rng)],
    [1, () => ({ label: 'object(2000 keys)', value: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i])) })],
  ])();
}

export function numberValue(rng: Rng): Labelled {
  const n = rng.pick([0, -1, 1.5, -0, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MIN_VALUE, 4294967296, 1e21]);
  return { label: `number(${n})`, value: n };
}

export function depthValue(rng: Rng): Labelled {
  const d = rng.weighted([
    [5, rng.range(2, 60)],
    [3, rng.range(60, 200)],
    [1, rng.range(1000, 2500)], // deeper still comes as text (fuzz-cases.ts): JSON.stringify would overflow here
  ] as const);
  return { label: `deep(${d})`, value: deep(d) };
}
