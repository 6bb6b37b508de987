// The 2024-11-05 HTTP+SSE transport at the edge (GET /sse + POST /messages), for clients that
// still speak it: the SDK's own SSE client lists and calls tools, gets progress, log messages and
// the backend's mid-call sampling and elicitation on its stream, and its stream's end ends the
// session. Bad use gets an error naming what was wrong.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, SSEClientTransport } from '@modelcontextprotocol/client';
import { FIXTURES, startGateway, stdioBackend, text, waitFor } from '../helpers/gateway.js';

const backend = stdioBackend('conf', `${FIXTURES}/conformance-backend.mjs`, ['--transport', 'stdio']);
const config = {
  name: 'sse-edge',
  backends: [backend],
  aggregation: { conflictResolution: 'priority', conflictResolutionConfig: { priorityOrder: ['conf'] } },
  server: { limits: { sessionInitTimeout: '1s' } },
};

async function sseClient(base: string, name: string): Promise<Client & AsyncDisposable> {
  const client = new Client({ name, version: '1.0.0' }, { capabilities: { elicitation: {}, sampling: {} } });
  await client.connect(new SSEClientTransport(new URL(`${base}/sse`)));
  return Object.assign(client, { [Symbol.asyncDispose]: () => client.close() });
}

describe('the 2024-11-05 HTTP+SSE transport at the edge', () => {
  it('lists and calls tools with progress, logs, sampling and elicitation on the stream; the stream ends the session', async () => {
    await using gw = await startGateway(config);
    const base = gw.url.replace(/\/mcp$/, '');
    const events: string[] = [];
    const onSession = (e: unknown) => void events.push((e as { event: string }).event);
    subscribe('vmcp:session', onSession);
    await using a = await sseClient(base, 'a');
    const names = (await a.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('test_simple_text'), names.join(', '));
    assert.match(text((await a.callTool({ name: 'test_simple_text', arguments: {} })) as never), /\S/);

    // What arrives on the stream, in order (the SDK's per-request onprogress may drop the last
    // progress that arrives right before its response, so the wire is checked, not the callback).
    const wire: string[] = [];
    const transport = a.transport!;
    const dispatch = transport.onmessage!;
    transport.onmessage = (m, extra) => {
      const msg = m as { method?: string; params?: { progress?: number }; result?: unknown };
      wire.push(msg.method === 'notifications/progress' ? `progress ${msg.params?.progress}` : msg.result ? 'result' : String(msg.method));
      dispatch(m, extra);
    };
    await a.request({ method: 'tools/call', params: { name: 'test_tool_with_progress', arguments: {} } }, { onprogress: () => undefined });
    assert.deepEqual(wire, ['progress 0', 'progress 50', 'progress 100', 'result']);

    let logs = 0;
    a.setNotificationHandler('notifications/message', () => void (logs += 1));
    await a.request({ method: 'tools/call', params: { name: 'test_tool_with_logging', arguments: {} } });
    assert.equal(logs, 3);

    a.setRequestHandler('sampling/createMessage', async () => ({
      model: 'm',
      role: 'assistant',
      content: { type: 'text', text: 'sampled over sse' },
    }));
    a.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { username: 'sse', email: 's@example.com' } }));
    const s = await a.request({ method: 'tools/call', params: { name: 'test_sampling', arguments: { prompt: 'hi' } } });
    assert.match(text(s as never), /sampled over sse/);
    const e = await a.request({ method: 'tools/call', params: { name: 'test_elicitation', arguments: { message: 'who?' } } });
    assert.match(text(e as never), /"username":"sse"/);

    assert.deepEqual(events, ['created'], 'one session while the stream is open');
    await a.close();
    await waitFor(() => events.includes('closed'), 'the session ends with its stream');
    unsubscribe('vmcp:session', onSession);
    const after = await fetch(`${base}/messages?sessionId=${a.transport?.sessionId ?? ''}`, { method: 'POST' });
    assert.ok(after.status >= 400, 'nothing answers for an ended session');
  });

  it('refuses bad use with an error naming what was wrong', async () => {
    await using gw = await startGateway(config);
    const base = gw.url.replace(/\/mcp$/, '');
    const post = (query: string, body: unknown) =>
      fetch(`${base}/messages${query}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };

    const noId = await post('', ping);
    assert.equal(noId.status, 400);
    assert.match(await noId.text(), /sessionId query parameter is required/);
    const unknown = await post('?sessionId=nope', ping);
    assert.equal(unknown.status, 404);
    assert.match(await unknown.text(), /Session not found/);
    const wrongType = await fetch(`${base}/sse`, { headers: { accept: 'application/json' } });
    assert.equal(wrongType.status, 406);
    assert.match(await wrongType.text(), /must accept text\/event-stream/);
    const wrongMethod = await fetch(`${base}/sse`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(wrongMethod.status, 405);
    assert.match(await wrongMethod.text(), /use GET/);
  });

  it('closes a stream that never initializes after server.limits.sessionInitTimeout', async () => {
    await using gw = await startGateway(config);
    const base = gw.url.replace(/\/mcp$/, '');
    const res = await fetch(`${base}/sse`, { headers: { accept: 'text/event-stream' } });
    assert.equal(res.status, 200);
    const started = Date.now();
    const body = await res.text(); // ends when the gateway closes the stream
    assert.match(body, /^event: endpoint\ndata: \/messages\?sessionId=[\w-]+\n\n/);
    const waited = Date.now() - started;
    assert.ok(waited >= 900 && waited < 5000, `closed after ${waited} ms (sessionInitTimeout 1s)`);
    const sid = /sessionId=([\w-]+)/.exec(body)![1]!;
    const late = await fetch(`${base}/messages?sessionId=${sid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
      }),
    });
    assert.equal(late.status, 404, 'initialize after the stream closed finds nothing');
  });
});
