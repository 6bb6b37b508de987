// 2026-07-28 custom headers (SEP-2243): a tool input property declared with `x-mcp-header: Name`
// travels in the body and, mirrored, in the `Mcp-Param-Name` HTTP header (literal, or
// `=?base64?…?=` with strict Base64), so intermediaries can route on it without parsing bodies.
// The gateway is such a server toward its client and such a client toward its backend: it checks
// that headers and body agree (HTTP 400, -32020, naming the mismatch) and sends the validated
// headers on to the backend.
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { isObject, type JsonObject } from '../protocol/index.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The Mcp-Param-* headers a call of `definition` with `args` must carry, checked against the client's. */
export function checkMcpParams(
  definition: JsonObject | undefined,
  args: JsonObject,
  received: Readonly<Record<string, string>>,
): Record<string, string> {
  const properties = (definition?.['inputSchema'] as JsonObject | undefined)?.['properties'];
  if (!isObject(properties)) return {};
  const out: Record<string, string> = {};
  for (const [prop, schema] of Object.entries(properties)) {
    const name = isObject(schema) ? schema['x-mcp-header'] : undefined;
    if (typeof name !== 'string' || !(prop in args) || args[prop] === null || args[prop] === undefined) continue;
    const header = `mcp-param-${name.toLowerCase()}`;
    const raw = received[header];
    const expected = typeof args[prop] === 'string' ? (args[prop] as string) : JSON.stringify(args[prop]);
    if (raw === undefined) throw mismatch(name, prop, `the body carries ${prop} but the Mcp-Param-${name} header is absent`);
    const value = decode(raw);
    if (value === undefined) throw mismatch(name, prop, `the Mcp-Param-${name} header is not valid Base64`);
    if (value !== expected) throw mismatch(name, prop, `the Mcp-Param-${name} header and the body's ${prop} disagree`);
    out[`Mcp-Param-${name}`] = raw;
  }
  return out;
}

/** The header's value: literal, or the strict-Base64 `=?base64?…?=` form decoded as UTF-8. */
export function decode(raw: string): string | undefined {
  const m = /^=\?base64\?(.*)\?=$/i.exec(raw.trim());
  if (!m) return raw.trim();
  const b64 = m[1]!;
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) return undefined;
  return Buffer.from(b64, 'base64').toString('utf8');
}

function mismatch(header: string, property: string, why: string): VmcpError {
  return new VmcpError(ErrorCodes.HEADER_MISMATCH, `Bad Request: the request headers and body disagree: ${why}`, {
    mismatch: { header: `Mcp-Param-${header}`, property },
  });
}
