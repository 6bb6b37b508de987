// Reads what the auth sections point at: secret values from env vars and files (header values,
// client secrets) and Cedar policy files. It runs at load time on the raw data, next to the
// other stages, so `vmcp validate` reports a missing variable or file with its config path and
// line even when the file has other problems. A problem names the variable or the file, never
// the value; every value read is handed back for redaction (load.ts) and wrapped in a Secret.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Env } from './expand-env.js';
import { isRecord } from './expand-env.js';
import { error, warning } from './issues.js';
import type { PathSegment, RawIssue } from './issues.js';
import { Secret } from './secret.js';
import type { AuthzPolicy, SecretSource } from './types.js';

export interface ResolvedSecret {
  readonly value: Secret;
  readonly source: SecretSource;
}

export interface ResolvedStrategy {
  readonly headerValue?: ResolvedSecret;
  readonly clientSecret?: ResolvedSecret;
}

export interface ResolvedAuth {
  readonly default?: ResolvedStrategy;
  readonly backends: ReadonlyMap<string, ResolvedStrategy>;
  readonly policies: readonly AuthzPolicy[];
  /** incomingAuth.oidc.clientSecretEnv / clientSecretFile (token introspection). */
  readonly introspectionSecret?: ResolvedSecret;
}

export interface ResolveOptions {
  readonly env: Env;
  /** Relative files resolve against this (the config file's directory). */
  readonly baseDir: string;
  /** Absolute path of the config file, for policy sources. */
  readonly source?: string;
}

export interface AuthResolution {
  readonly issues: readonly RawIssue[];
  /** Every value read: to be masked in any message. */
  readonly secrets: readonly string[];
  readonly resolved: ResolvedAuth;
}

export function resolveAuthSources(data: unknown, options: ResolveOptions): AuthResolution {
  const issues: RawIssue[] = [];
  const secrets: string[] = [];
  const reader = new SourceReader(options, issues, secrets);
  const outgoing = isRecord(data) && isRecord(data.outgoingAuth) ? data.outgoingAuth : {};
  const fallback = isRecord(outgoing.default) ? reader.strategy(outgoing.default, ['outgoingAuth', 'default']) : undefined;
  const backends = new Map<string, ResolvedStrategy>();
  for (const [name, entry] of Object.entries(isRecord(outgoing.backends) ? outgoing.backends : {})) {
    if (isRecord(entry)) backends.set(name, reader.strategy(entry, ['outgoingAuth', 'backends', name]));
  }
  const incoming = isRecord(data) && isRecord(data.incomingAuth) ? data.incomingAuth : {};
  const policies = isRecord(incoming.authz) ? reader.policies(incoming.authz) : [];
  const introspectionSecret = isRecord(incoming.oidc) ? reader.clientSecret(incoming.oidc, ['incomingAuth', 'oidc']) : undefined;
  const resolved = {
    ...(fallback === undefined ? {} : { default: fallback }),
    backends,
    policies,
    ...(introspectionSecret === undefined ? {} : { introspectionSecret }),
  };
  return { issues, secrets, resolved };
}

class SourceReader {
  readonly #options: ResolveOptions;
  readonly #issues: RawIssue[];
  readonly #secrets: string[];

  constructor(options: ResolveOptions, issues: RawIssue[], secrets: string[]) {
    this.#options = options;
    this.#issues = issues;
    this.#secrets = secrets;
  }

  strategy(entry: Record<string, unknown>, path: PathSegment[]): ResolvedStrategy {
    const key = { header_injection: 'headerInjection', token_exchange: 'tokenExchange', client_credentials: 'clientCredentials' }[
      String(entry.type)
    ];
    const block = key === undefined || !isRecord(entry[key]) ? undefined : entry[key];
    if (key === undefined || block === undefined) return {};
    const at = [...path, key];
    if (key === 'headerInjection') {
      const headerValue = this.#secret(block, 'headerValueEnv', 'headerValueFile', at, true);
      return headerValue === undefined ? {} : { headerValue };
    }
    const clientSecret = this.#secret(block, 'clientSecretEnv', 'clientSecretFile', at, false);
    return clientSecret === undefined ? {} : { clientSecret };
  }

  clientSecret(block: Record<string, unknown>, at: PathSegment[]): ResolvedSecret | undefined {
    return this.#secret(block, 'clientSecretEnv', 'clientSecretFile', at, false);
  }

  policies(authz: Record<string, unknown>): AuthzPolicy[] {
    const out: AuthzPolicy[] = [];
    const files = Array.isArray(authz.policyFiles) ? authz.policyFiles : [];
    files.forEach((file: unknown, i) => {
      if (typeof file !== 'string' || file === '') return;
      const path = resolve(this.#options.baseDir, file);
      const text = this.#read(path, ['incomingAuth', 'authz', 'policyFiles', i], 'policy file');
      if (text === undefined) return;
      if (text.trim() === '') this.#issues.push(warning(['incomingAuth', 'authz', 'policyFiles', i], `policy file ${path} is empty`));
      out.push({ id: file, text, source: path });
    });
    const inline = Array.isArray(authz.policies) ? authz.policies : [];
    inline.forEach((text: unknown, i) => {
      if (typeof text !== 'string') return;
      out.push({ id: `policies[${i}]`, text, source: `${this.#options.source ?? 'inline'}#incomingAuth.authz.policies[${i}]` });
    });
    return out;
  }

  /** The value named by an `*Env` or `*File` key (validate-outgoing.ts reports when both are set). */
  #secret(block: Record<string, unknown>, envKey: string, fileKey: string, at: PathSegment[], header: boolean): ResolvedSecret | undefined {
    let found: { text: string; source: SecretSource; path: PathSegment[] } | undefined;
    const envName = block[envKey];
    const file = block[fileKey];
    if (typeof envName === 'string') {
      const text = this.#env(envName, [...at, envKey]);
      if (text !== undefined) found = { text, source: { env: envName }, path: [...at, envKey] };
    } else if (typeof file === 'string' && file !== '') {
      const path = resolve(this.#options.baseDir, file);
      const text = this.#read(path, [...at, fileKey], 'secret file');
      // `echo secret > file` adds a newline that is not part of the secret.
      const value = text?.replace(/\r?\n$/, '');
      if (value === '') this.#issues.push(error([...at, fileKey], `secret file ${path} is empty`));
      else if (value !== undefined) found = { text: value, source: { file: path }, path: [...at, fileKey] };
    }
    if (found === undefined) return undefined;
    this.#secrets.push(found.text);
    // A line break in a header value would let it inject further headers (request smuggling).
    if (header && /[\r\n\0]/.test(found.text)) {
      const from = 'env' in found.source ? `env var "${found.source.env}"` : `file ${found.source.file}`;
      this.#issues.push(error(found.path, `the value from ${from} contains a line break or NUL (value not shown)`));
      return undefined;
    }
    return { value: new Secret(found.text), source: found.source };
  }

  #env(name: string, path: PathSegment[]): string | undefined {
    const value = this.#options.env[name];
    if (value === undefined) this.#issues.push(error(path, `environment variable "${name}" is not set`));
    else if (value === '') this.#issues.push(error(path, `environment variable "${name}" is set but empty`));
    return value === undefined || value === '' ? undefined : value;
  }

  #read(path: string, at: PathSegment[], what: string): string | undefined {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? 'unreadable';
      this.#issues.push(error(at, `cannot read ${what} ${path}: ${reason}`));
      return undefined;
    }
  }
}
