// Mid-call traffic with several clients on ONE shared stdio backend, at the same time: sampling,
// elicitation, log messages and progress reach only the client whose call caused them, and
// cancelling one client's call stops it at the backend without touching the other's.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { channels, type BackendStderrEvent } from '../../src/observability/channels.js';
import { connectClient, descendants, FIXTURES, startGateway, stdioBackend, text, waitFor } from '../helpers/gateway.js';

const conf = {
  name: 'mid',
  backends: [stdioBackend('conf', `${FIXTURES}/conformance-backend.mjs`, ['--transport', 'stdio'])],
  aggregation: { conflictResolution: 'priority', conflictResolutionConfig: { priorityOrder: ['conf'] } },
};
const both = { elicitation: {}, sampling: {} };

describe('concurrent clients on one shared stdio backend', () => {
  it('sampling and elicitation requested at the same time reach only their own clients', async () => {
    await using gw = await startGateway(conf);
    await using a = await connectClient(gw.url, { capabilities: both, name: 'a' });
    await using b = await connectClient(gw.url, { capabilities: both, name: 'b' });
    const seen: string[] = [];
    for (const [who, client] of [
      ['a', a],
      ['b', b],
    ] as const) {
      client.setRequestHandler('elicitation/create', async () => {
        seen.push(`${who}:elicit`);
        await new Promise((r) => setTimeout(r, 100)); // a person taking their time
        return { action: 'accept', content: { username: who, email: `${who}@x.io` } };
      });
      client.setRequestHandler('sampling/createMessage', async () => {
        seen.push(`${who}:sample`);
        return { model: `m-${who}`, role: 'assistant', content: { type: 'text', text: `from ${who}` } };
      });
    }
    const rounds = await Promise.all([
      a.request({ method: 'tools/call', params: { name: 'test_elicitation', arguments: { message: 'a?' } } }),
      b.request({ method: 'tools/call', params: { name: 'test_sampling', arguments: { prompt: 'b?' } } }),
      b.request({ method: 'tools/call', params: { name: 'test_elicitation', arguments: { message: 'b?' } } }),
      a.request({ method: 'tools/call', params: { name: 'test_sampling', arguments: { prompt: 'a?' } } }),
    ]);
    assert.match(text(rounds[0] as never), /"username":"a"/);
    assert.match(text(rounds[1] as never), /from b/);
    assert.match(text(rounds[2] as never), /"username":"b"/);
    assert.match(text(rounds[3] as never), /from a/);
    assert.deepEqual(seen.sort(), ['a:elicit', 'a:sample', 'b:elicit', 'b:sample']);
    assert.equal(descendants('conformance-backend.mjs').length, 1, 'one shared process');
  });

  it('log messages and progress of simultaneous calls reach only their own clients', async () => {
    await using gw = await startGateway(conf);
    const clients = await Promise.all(['a', 'b', 'c'].map((name) => connectClient(gw.url, { name })));
    const logs = [0, 0, 0];
    const progress: number[][] = [[], [], []];
    clients.forEach((c, i) => c.setNotificationHandler('notifications/message', () => void (logs[i]! += 1)));
    await Promise.all(
      clients.flatMap((c, i) => [
        c.request({ method: 'tools/call', params: { name: 'test_tool_with_logging', arguments: {} } }),
        c.request(
          { method: 'tools/call', params: { name: 'test_tool_with_progress', arguments: {} } },
          { onprogress: (p) => void progress[i]!.push(p.progress) },
        ),
      ]),
    );
    assert.deepEqual(logs, [3, 3, 3], 'each client got the 3 log lines of its own call, none of the others');
    assert.deepEqual(progress, [
      [0, 50, 100],
      [0, 50, 100],
      [0, 50, 100],
    ]);
    await Promise.all(clients.map((c) => c.close()));
  });

  it("cancelling one client's call stops it at the backend and leaves the other's running", async () => {
    const lines: string[] = [];
    const onLine = (e: unknown) => void lines.push((e as BackendStderrEvent).line);
    channels.backendStderr.subscribe(onLine);
    try {
      await using gw = await startGateway({ name: 'cancel', backends: [stdioBackend('slow', `${FIXTURES}/slow.mjs`)] });
      await using a = await connectClient(gw.url, { name: 'a' });
      await using b = await connectClient(gw.url, { name: 'b' });
      await b.request({ method: 'tools/call', params: { name: 'slow_sleep', arguments: { ms: 1 } } }); // teaches: quiet tool
      const controller = new AbortController();
      const aCall = a.request(
        { method: 'tools/call', params: { name: 'slow_sleep', arguments: { ms: 5000 } } },
        { signal: controller.signal },
      );
      const bCall = b.request({ method: 'tools/call', params: { name: 'slow_sleep', arguments: { ms: 600 } } });
      await new Promise((r) => setTimeout(r, 200));
      controller.abort('user pressed stop');
      await assert.rejects(aCall);
      assert.equal(text((await bCall) as never), 'slept 600ms', "the other client's call is untouched");
      await waitFor(() => lines.some((l) => /sleep 5000ms cancelled/.test(l)), 'the backend saw the cancellation');
      assert.ok(!lines.some((l) => /sleep 600ms cancelled/.test(l)));
    } finally {
      channels.backendStderr.unsubscribe(onLine);
    }
  });
});
