// `WWW-Authenticate: Bearer …` challenges (RFC 6750 §3, RFC 9728 §5.1, MCP authorization spec).
//   no credentials      401  Bearer resource_metadata="…", scope="…"          (no error code: RFC 6750 §3.1)
//   bad token           401  Bearer resource_metadata="…", error="invalid_token", error_description="…"
//   missing scope       403  Bearer resource_metadata="…", error="insufficient_scope", scope="…", error_description="…"
//   malformed request   400  Bearer resource_metadata="…", error="invalid_request", error_description="…"
// The scope attribute tells the client which scopes to ask for when it (re)authorizes.

export interface ChallengeParams {
  readonly resourceMetadata?: string;
  readonly error?: string;
  readonly description?: string;
  readonly scopes?: readonly string[];
}

export function bearerChallenge(p: ChallengeParams): string {
  const attrs: string[] = [];
  if (p.resourceMetadata !== undefined) attrs.push(`resource_metadata="${quotable(p.resourceMetadata)}"`);
  if (p.error !== undefined) attrs.push(`error="${p.error}"`);
  if (p.description !== undefined) attrs.push(`error_description="${quotable(p.description)}"`);
  if (p.scopes !== undefined && p.scopes.length > 0) attrs.push(`scope="${quotable(p.scopes.join(' '))}"`);
  return attrs.length === 0 ? 'Bearer' : `Bearer ${attrs.join(', ')}`;
}

/**
 * RFC 6750 §3: error_description and scope use %x20-21 / %x23-5B / %x5D-7E only — no `"`, no
 * backslash, no control or non-ASCII characters — so a value can never break out of its quotes.
 */
export function quotable(text: string): string {
  return text.replace(/"/g, "'").replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '?');
}
