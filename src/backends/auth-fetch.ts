// A fetch for the SDK's HTTP transports that adds outgoing-auth headers to every request, asked
// fresh each time (tokens expire and rotate). Credentials never go into the transport's static
// config, so they cannot leak through it.
export type HeaderSource = () => Promise<Record<string, string> | undefined>;

export function authFetch(source: HeaderSource, base: typeof fetch = fetch): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const extra = await source();
    if (!extra || Object.keys(extra).length === 0) return base(input, init);
    const headers = new Headers(init?.headers);
    for (const [k, v] of Object.entries(extra)) headers.set(k, v);
    return base(input, { ...init, headers });
  }) as typeof fetch;
}
