// Go's formatting as the template functions see it: strconv.Quote (`quote`), encoding/json
// (`json`: sorted keys, <>& escaped as \u003c…), fmt.Sprint (`print`) and a printf subset.
import { compareStrings, formatGoFloat, formatV, goTypeName, MAX_TEMPLATE_DEPTH, TemplateError } from './values.js';
import type { TemplateValue } from './values.js';

const QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  '"': '\\"',
};

/** strconv.Quote: a double-quoted Go string literal; printable Unicode stays as it is. */
export function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (QUOTE_ESCAPES[ch] !== undefined) out += QUOTE_ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\p{Cn}]/u.test(ch)) out += unicodeEscape(code);
    else out += ch;
  }
  return `${out}"`;
}

function unicodeEscape(code: number): string {
  return code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

const JSON_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** encoding/json.Marshal: object keys sorted, HTML-sensitive characters escaped. */
export function goJson(value: TemplateValue, depth = 0): string {
  if (depth > MAX_TEMPLATE_DEPTH) throw new TemplateError(`value nesting exceeds the template recursion limit of ${MAX_TEMPLATE_DEPTH}`);
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TemplateError(`json: unsupported value: ${formatGoFloat(value)}`);
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => JSON_ESCAPES[c] ?? c);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => goJson(v, depth + 1)).join(',')}]`;
  const record = value as Readonly<Record<string, TemplateValue>>;
  const keys = Object.keys(record).sort(compareStrings);
  return `{${keys.map((k) => `${goJson(k, depth + 1)}:${goJson(record[k], depth + 1)}`).join(',')}}`;
}

/** fmt.Sprint: operands are separated by a space when neither side is a string. */
export function goSprint(args: readonly TemplateValue[]): string {
  let out = '';
  args.forEach((arg, i) => {
    if (i > 0 && typeof arg !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatV(arg, 0);
  });
  return out;
}

const VERB = /%([-+# 0]*)([0-9]*)(?:\.([0-9]*))?([a-zA-Z%])/g;

/** A subset of fmt.Sprintf: %v %s %d %f %g %e %q %t %x %X %%, with width and precision. */
export function goSprintf(format: string, args: readonly TemplateValue[]): string {
  let next = 0;
  let out = format.replace(VERB, (_whole, flags: string, width: string, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const text = formatVerb(verb, args[next++], precision === undefined ? undefined : Number(precision || '0'));
    return pad(text, width === '' ? 0 : Number(width), flags);
  });
  if (next < args.length)
    out += `%!(EXTRA ${args
      .slice(next)
      .map((a) => `${goTypeName(a)}=${formatV(a, 0)}`)
      .join(', ')})`;
  return out;
}

function pad(text: string, width: number, flags: string): string {
  if (text.length >= width) return text;
  if (flags.includes('-')) return text.padEnd(width);
  return flags.includes('0') && /^[+-]?[0-9.]/.test(text) ? text.padStart(width, '0') : text.padStart(width);
}

function formatVerb(verb: string, arg: TemplateValue, precision: number | undefined): string {
  const bad = (): string => `%!${verb}(${goTypeName(arg)}=${formatV(arg, 0)})`;
  switch (verb) {
    case 'v':
    case 's':
      return verb === 's' && (typeof arg === 'number' || typeof arg === 'bigint' || typeof arg === 'boolean') ? bad() : formatV(arg, 0);
    case 'q':
      return typeof arg === 'string' ? goQuote(arg) : bad();
    case 't':
      return typeof arg === 'boolean' ? String(arg) : bad();
    case 'd':
      return integerOf(arg)?.toString() ?? bad();
    case 'x':
    case 'X': {
      const hex = integerOf(arg)?.toString(16) ?? (typeof arg === 'string' ? Buffer.from(arg).toString('hex') : undefined);
      return hex === undefined ? bad() : verb === 'X' ? hex.toUpperCase() : hex;
    }
    case 'f':
    case 'e':
    case 'g':
      return typeof arg === 'number' || typeof arg === 'bigint' ? floatVerb(verb, Number(arg), precision) : bad();
    default:
      return `%!${verb}(${goTypeName(arg)}=${formatV(arg, 0)})`;
  }
}

/** Go's %d takes integers only; a JSON number that is a whole number is accepted too (lenient). */
function integerOf(arg: TemplateValue): bigint | undefined {
  if (typeof arg === 'bigint') return arg;
  if (typeof arg === 'number' && Number.isInteger(arg)) return BigInt(arg);
  return undefined;
}

function floatVerb(verb: string, n: number, precision: number | undefined): string {
  if (verb === 'f') return n.toFixed(precision ?? 6);
  if (verb === 'e') {
    const [m = '', e = '0'] = n.toExponential(precision ?? 6).split('e');
    const exp = Number(e);
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return precision === undefined ? formatGoFloat(n) : formatGoFloat(Number(n.toPrecision(Math.max(precision, 1))));
}

/** Used by `len` and for sizes: Go measures strings in bytes. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
