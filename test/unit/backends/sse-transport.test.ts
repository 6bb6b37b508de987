// The legacy HTTP+SSE backend transport against a real MCP server over real sockets: thousands of
// calls leave no listener behind on the transport's long-lived signal, and closing it still aborts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@modelcontextprotocol/client';
import { createSseTransport, ownSignalPerPost } from '../../../src/backends/sse.js';
import type { HttpBackendConfig } from '../../../src/config/types.js';
import { FIXTURES, spawnFixture, text } from '../../helpers/gateway.js';

const echo = (client: Client, message: string) =>
  client.request({ method: 'tools/call', params: { name: 'echo', arguments: { message } } }) as Promise<Record<string, unknown>>;

describe('SSE backend transport', () => {
  it('leaves no listener behind: 2,000 calls raise no process warning', async () => {
    await using fx = await spawnFixture(`${FIXTURES}/echo.mjs`, ['--transport', 'sse']);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const client = new Client({ name: 't', version: '1' }, { capabilities: {} });
      await client.connect(createSseTransport({ name: 'b', transport: 'sse', url: fx.url, headers: {} } as unknown as HttpBackendConfig));
      // Eight at a time: the calls share the transport's one signal, as a gateway's sessions do.
      for (let i = 0; i < 250; i++) {
        const answers = await Promise.all(Array.from({ length: 8 }, (_, k) => echo(client, `m${i}-${k}`)));
        assert.equal(text(answers[7]!), `m${i}-7`);
      }
      await client.close();
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(warnings, []);
  });

  it('a POST still follows the shared signal until its response arrives, and then lets go of it', async () => {
    const shared = new AbortController();
    let release!: () => void;
    let seen: AbortSignal | undefined;
    const base = ((_: unknown, init?: RequestInit) => {
      const signal = init?.signal ?? undefined;
      seen = signal;
      return new Promise<Response>((resolve, reject) => {
        release = () => resolve(new Response('Accepted', { status: 202 }));
        signal?.addEventListener('abort', () => reject(signal.reason as Error));
      });
    }) as typeof fetch;
    const f = ownSignalPerPost(base);

    const first = f('http://127.0.0.1:1/messages', { method: 'POST', signal: shared.signal });
    assert.ok(seen && seen !== shared.signal, 'the POST has a signal of its own');
    release();
    assert.equal((await first).status, 202);
    const answered = seen;

    const second = f('http://127.0.0.1:1/messages', { method: 'POST', signal: shared.signal });
    shared.abort(new Error('transport closed'));
    await assert.rejects(second, /transport closed/);
    assert.equal(answered.aborted, false, 'an answered POST is no longer tied to the shared signal');
  });
});
