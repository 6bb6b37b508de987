// Reading and checking a POST body before the MCP SDK sees it: size limit (413), JSON (400 with
// -32700), JSON-RPC shape (400 with -32600). Each answer says what was wrong.

export type BodyResult = { ok: true; body: unknown } | { ok: false; status: number; code: number; message: string };

export async function readBody(
  req: AsyncIterable<Buffer> & { headers: Record<string, string | string[] | undefined> },
  limit: number,
): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) return tooLarge(limit);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return { ok: false, status: 400, code: -32700, message: `Parse error: body is not valid JSON (${(err as Error).message})` };
  }
  const problem = jsonRpcProblem(body);
  return problem ? { ok: false, status: 400, code: -32600, message: `Invalid Request: ${problem}` } : { ok: true, body };
}

function tooLarge(limit: number): BodyResult {
  return { ok: false, status: 413, code: -32600, message: `Request body exceeds the ${limit}-byte limit (server.maxRequestBodyBytes)` };
}

/** Returns what is wrong with a JSON-RPC message or batch, or undefined when it is well formed. */
export function jsonRpcProblem(body: unknown): string | undefined {
  if (Array.isArray(body)) {
    if (body.length === 0) return 'empty batch';
    for (const [i, m] of body.entries()) {
      const p = messageProblem(m);
      if (p) return `batch[${i}]: ${p}`;
    }
    return undefined;
  }
  return messageProblem(body);
}

function messageProblem(m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'a JSON-RPC message must be an object';
  const msg = m as Record<string, unknown>;
  if (msg['jsonrpc'] !== '2.0') return '"jsonrpc" must be "2.0"';
  const id = msg['id'];
  if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') return '"id" must be a string or a number';
  if ('method' in msg) {
    if (typeof msg['method'] !== 'string' || msg['method'] === '') return '"method" must be a non-empty string';
    const params = msg['params'];
    if (params !== undefined && (typeof params !== 'object' || params === null)) return '"params" must be an object';
    return undefined;
  }
  if ('result' in msg || 'error' in msg) return id === undefined ? 'a response needs an "id"' : undefined;
  return 'a message needs "method" (request/notification) or "result"/"error" (response)';
}
