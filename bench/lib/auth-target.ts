// Target E: the authenticated variant of D. The gateway validates a JWT (oidc-provider, in-process
// on loopback) on every request and exchanges it (RFC 8693) for a token with the echo backend's
// audience, cached per user: the figure shows what identity costs on the hot path (compare E to D).
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { startOidc } from '../../test/helpers/oidc.js';
import { freePort, waitForHttp } from './procs.js';
import { vmcpBin, type RunningTarget, type TargetContext } from './targets.js';

export async function startAuthGateway(ctx: TargetContext, echoUrl: string): Promise<RunningTarget & { headers: Record<string, string> }> {
  const idp = await startOidc({ accessTokenTtl: 3600 });
  const port = await freePort();
  const audience = `http://127.0.0.1:${port}/mcp`;
  const config = {
    name: 'vmcp-bench-auth',
    incomingAuth: { type: 'oidc', oidc: { issuer: idp.issuer, audience, scopes: ['mcp:tools'] } },
    outgoingAuth: {
      backends: {
        echo: {
          type: 'token_exchange',
          tokenExchange: {
            tokenUrl: idp.tokenEndpoint,
            clientId: idp.client.id,
            clientSecretEnv: 'BENCH_IDP_SECRET',
            audience: 'urn:bench:echo',
            scopes: ['mcp:tools'],
          },
        },
      },
    },
    backends: [{ name: 'echo', transport: 'streamable-http', url: echoUrl }],
    aggregation: { conflictResolution: 'priority', conflictResolutionConfig: { priorityOrder: ['echo'] } },
    operational: { logLevel: ctx.gatewayLogLevel },
  };
  const configFile = path.join(ctx.workDir, 'gateway-echo-http-auth.yaml');
  fs.writeFileSync(configFile, stringify(config));
  const args = [vmcpBin(ctx), 'serve', '--config', configFile, '--host', '127.0.0.1', '--port', String(port)];
  const { proc } = await ctx.sup.start({
    name: 'gateway-echo-http-auth',
    command: process.execPath,
    args,
    cwd: ctx.root,
    env: { ...process.env, BENCH_IDP_SECRET: idp.client.secret },
    logFile: path.join(ctx.workDir, 'gateway-echo-http-auth.log'),
  });
  await waitForHttp(`http://127.0.0.1:${port}/health`, proc, 20_000);
  const token = await idp.mintAccessToken({ sub: 'bench-user', aud: audience, scope: 'mcp:tools', expiresIn: 3600 });
  return {
    url: audience,
    headers: { authorization: `Bearer ${token}` },
    details: {
      command: `node bin/vmcp.js serve --config gateway-echo-http-auth.yaml --port ${port}`,
      auth: 'oidc (JWT validated per request) + token_exchange (cached per user)',
    },
  };
}
