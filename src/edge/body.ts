// Reading a POST body before anything else sees it, with every bound checked while reading: size
// (413, server.maxRequestBodyBytes), nesting depth (400, server.limits.maxJsonDepth — a deep body
// is refused before JSON.parse or any serializer can overflow on it), then JSON (400, -32700) and
// the JSON-RPC envelope (400, -32600, envelope.ts). Each refusal says what was wrong and which limit.
import type { IncomingMessage } from 'node:http';
import { ErrorCodes, VmcpError } from '../errors/codes.js';
import { envelopeProblem } from './envelope.js';

export interface BodyLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

export async function readBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes) throw tooLarge(limits.maxBytes);
  const text = await collect(req, limits);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new VmcpError(ErrorCodes.PARSE_ERROR, `Parse error: the body is not valid JSON (${(err as Error).message})`);
  }
  const problem = envelopeProblem(body);
  if (problem) throw new VmcpError(ErrorCodes.INVALID_REQUEST, `Invalid Request: ${problem}`);
  return body;
}

/**
 * The body's text. Past the depth limit nothing more is kept, but the rest is still read (within
 * the size limit), so the answer goes out on a connection the client can keep using; past the
 * size limit the answer is sent at once and the connection closed.
 */
function collect(req: IncomingMessage, limits: BodyLimits): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const depth = new DepthGauge(limits.maxDepth);
    let size = 0;
    let tooDeep = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) {
        req.off('data', onData);
        req.resume();
        return reject(tooLarge(limits.maxBytes));
      }
      if (tooDeep) return;
      if (!depth.push(chunk)) {
        tooDeep = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('error', reject);
    req.once('end', () => {
      if (size > limits.maxBytes) return;
      if (!tooDeep) return resolve(Buffer.concat(chunks, size).toString('utf8'));
      reject(
        new VmcpError(
          ErrorCodes.INVALID_REQUEST,
          `Invalid Request: the body nests deeper than ${limits.maxDepth} levels (server.limits.maxJsonDepth)`,
          {
            limit: 'server.limits.maxJsonDepth',
          },
        ),
      );
    });
  });
}

function tooLarge(limit: number): VmcpError {
  return new VmcpError(ErrorCodes.REQUEST_TOO_LARGE, `Request body exceeds the ${limit}-byte limit (server.maxRequestBodyBytes)`, {
    limit: 'server.maxRequestBodyBytes',
  });
}

/** Tracks JSON nesting across chunks (brackets outside strings); false once it passes the limit. */
export class DepthGauge {
  readonly #max: number;
  #depth = 0;
  #inString = false;
  #escape = false;

  constructor(max: number) {
    this.#max = max;
  }

  push(bytes: Uint8Array): boolean {
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.#inString) {
        if (this.#escape) this.#escape = false;
        else if (b === 0x5c) this.#escape = true;
        else if (b === 0x22) this.#inString = false;
      } else if (b === 0x22) this.#inString = true;
      else if (b === 0x7b || b === 0x5b) {
        if (++this.#depth > this.#max) return false;
      } else if (b === 0x7d || b === 0x5d) this.#depth -= 1;
    }
    return true;
  }
}
