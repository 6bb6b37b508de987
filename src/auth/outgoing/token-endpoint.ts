// Requests to an OAuth 2.0 token endpoint: client credentials (RFC 6749 §4.4) and token exchange
// (RFC 8693). Client authentication is client_secret_basic (RFC 6749 §2.3.1). Error messages name
// the endpoint and the OAuth error code, never a token or a secret.
import { ErrorCodes, VmcpError } from '../../errors/codes.js';

export interface TokenResponse {
  accessToken: string;
  /** Epoch ms; undefined when the endpoint did not say. */
  expiresAt?: number;
}

export interface TokenRequest {
  tokenUrl: string;
  clientId?: string;
  clientSecret?: string;
  params: Record<string, string>;
  signal?: AbortSignal;
  /** For error messages: which backend wanted the token. */
  backend: string;
}

export async function requestToken(req: TokenRequest, now = Date.now()): Promise<TokenResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  const body = new URLSearchParams(req.params);
  if (req.clientId !== undefined && req.clientSecret !== undefined) {
    const enc = (s: string) => encodeURIComponent(s);
    headers['authorization'] = `Basic ${Buffer.from(`${enc(req.clientId)}:${enc(req.clientSecret)}`).toString('base64')}`;
  } else if (req.clientId !== undefined) {
    body.set('client_id', req.clientId);
  }
  let res: Response;
  try {
    res = await fetch(req.tokenUrl, { method: 'POST', headers, body, signal: req.signal ?? null });
  } catch (err) {
    throw fail(
      req,
      `cannot reach the token endpoint ${req.tokenUrl}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`,
    );
  }
  const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok || typeof json['access_token'] !== 'string') {
    const code = typeof json['error'] === 'string' ? json['error'] : `HTTP ${res.status}`;
    const desc = typeof json['error_description'] === 'string' ? `: ${json['error_description'].slice(0, 200)}` : '';
    throw fail(req, `the token endpoint ${req.tokenUrl} refused (${code}${desc})`);
  }
  const expiresIn = Number(json['expires_in']);
  return {
    accessToken: json['access_token'],
    ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiresAt: now + expiresIn * 1000 } : {}),
  };
}

function fail(req: TokenRequest, why: string): VmcpError {
  return new VmcpError(ErrorCodes.BACKEND_AUTH_FAILED, `Outgoing auth for backend "${req.backend}" failed: ${why}`, {
    backend: req.backend,
  });
}
