// Session model: several clients share one stdio backend process, and the backend's mid-call
// traffic (elicitation, sampling, logging, progress) reaches only the client whose call caused it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, descendants, FIXTURES, startGateway, stdioBackend, text } from '../helpers/gateway.js';

const backend = stdioBackend('conf', `${FIXTURES}/conformance-backend.mjs`, ['--transport', 'stdio']);
const config = {
  name: 'sessions',
  backends: [backend],
  aggregation: { conflictResolution: 'priority', conflictResolutionConfig: { priorityOrder: ['conf'] } },
};
const caps = { elicitation: {}, sampling: {} };

describe('session model: one shared stdio backend, many clients', () => {
  it('relays elicitation and sampling to the calling client only', async () => {
    await using gw = await startGateway(config);
    await using a = await connectClient(gw.url, { capabilities: caps, name: 'a' });
    await using b = await connectClient(gw.url, { capabilities: caps, name: 'b' });
    const seen: string[] = [];
    for (const [who, client] of [
      ['a', a],
      ['b', b],
    ] as const) {
      client.setRequestHandler('elicitation/create', async () => {
        seen.push(`${who}:elicit`);
        return { action: 'accept', content: { username: who, email: `${who}@example.com` } };
      });
      client.setRequestHandler('sampling/createMessage', async () => {
        seen.push(`${who}:sample`);
        return { model: `model-${who}`, role: 'assistant', content: { type: 'text', text: `from ${who}` } };
      });
    }
    const r = await a.request({ method: 'tools/call', params: { name: 'test_elicitation', arguments: { message: 'who are you?' } } });
    assert.match(text(r as never), /"username":"a"/);
    const s = await b.request({ method: 'tools/call', params: { name: 'test_sampling', arguments: { prompt: 'hi' } } });
    assert.match(text(s as never), /from b/);
    assert.deepEqual(seen, ['a:elicit', 'b:sample']);
    assert.equal(descendants('conformance-backend.mjs').length, 1, 'both clients share one backend process');
  });

  it('delivers log messages and progress only to the client whose call produced them', async () => {
    await using gw = await startGateway(config);
    await using a = await connectClient(gw.url, { name: 'a' });
    await using b = await connectClient(gw.url, { name: 'b' });
    const logs = { a: 0, b: 0 };
    a.setNotificationHandler('notifications/message', () => void (logs.a += 1));
    b.setNotificationHandler('notifications/message', () => void (logs.b += 1));
    await b.request({ method: 'tools/call', params: { name: 'test_tool_with_logging', arguments: {} } });
    assert.deepEqual(logs, { a: 0, b: 3 });

    const progress = { a: [] as number[], b: [] as number[] };
    await Promise.all(
      (['a', 'b'] as const).map((who) =>
        (who === 'a' ? a : b).request(
          { method: 'tools/call', params: { name: 'test_tool_with_progress', arguments: {} } },
          { onprogress: (p) => void progress[who].push(p.progress) },
        ),
      ),
    );
    assert.deepEqual(progress, { a: [0, 50, 100], b: [0, 50, 100] }, 'concurrent calls each get exactly their own progress');
  });

  it('refuses to relay a request the calling client cannot serve, with a clear error', async () => {
    await using gw = await startGateway(config);
    await using plain = await connectClient(gw.url, { capabilities: {} });
    const r = await plain.request({ method: 'tools/call', params: { name: 'test_elicitation', arguments: { message: 'x' } } }).then(
      (res) => text(res as never),
      (err: Error) => err.message,
    );
    assert.match(r, /did not declare the "elicitation" capability/);
  });
});
