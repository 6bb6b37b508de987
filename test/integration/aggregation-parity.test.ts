// ToolHive's aggregation keys through the front door: annotation overrides (only the fields set
// replace the backend's, applied before conflict resolution, visible to Cedar) and
// defaultToolVisibility: deny.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, FIXTURES, startGateway, stdioBackend } from '../helpers/gateway.js';

const WRITE = { name: 'write', annotations: { title: 'Write', destructiveHint: true, openWorldHint: false } };
const SPEC = JSON.stringify({ tools: [WRITE, { name: 'read' }] });
const named = (name: string) => stdioBackend(name, `${FIXTURES}/named.mjs`, ['--name', name], { env: { NAMED_SPEC: SPEC } });
// Cedar sees the advertised annotations: only tools marked read-only may be seen and called.
const READ_ONLY = `permit(principal, action, resource) when { resource.annotations has readOnlyHint && resource.annotations.readOnlyHint };`;

describe('aggregation parity', () => {
  test('an annotation override replaces only the fields it sets, for clients and for Cedar', async () => {
    await using gw = await startGateway({
      name: 'parity',
      backends: [named('a'), named('b')],
      aggregation: { tools: [{ workload: 'a', overrides: { write: { annotations: { readOnlyHint: true, destructiveHint: false } } } }] },
      incomingAuth: { authz: { type: 'cedar', policies: [READ_ONLY] } },
    });
    await using client = await connectClient(gw.url);
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['a_write'],
    );
    assert.deepEqual(tools[0]?.annotations, { title: 'Write', destructiveHint: false, openWorldHint: false, readOnlyHint: true });
    const ok = await client.callTool({ name: 'a_write', arguments: {} });
    assert.notEqual(ok.isError, true);
    await assert.rejects(client.callTool({ name: 'b_write', arguments: {} }));
  });

  test('an override with annotations only is applied before conflict resolution (priority keeps the bare name)', async () => {
    await using gw = await startGateway({
      name: 'parity',
      backends: [named('a'), named('b')],
      aggregation: {
        conflictResolution: 'priority',
        conflictResolutionConfig: { priorityOrder: ['b', 'a'] },
        tools: [{ workload: 'b', overrides: { write: { annotations: { title: 'B writes' } } } }],
      },
    });
    await using client = await connectClient(gw.url);
    const { tools } = await client.listTools();
    assert.equal(tools.find((t) => t.name === 'write')?.annotations?.title, 'B writes');
  });

  test('defaultToolVisibility: deny advertises only backends with an aggregation.tools entry', async () => {
    await using gw = await startGateway({
      name: 'parity',
      backends: [named('a'), named('b')],
      aggregation: { defaultToolVisibility: 'deny', tools: [{ workload: 'b', filter: ['read'] }] },
    });
    await using client = await connectClient(gw.url);
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map((t) => t.name),
      ['b_read'],
    );
  });
});
