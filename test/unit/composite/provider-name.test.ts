// The `composite` provider name in the config: aggregation may filter and order it like a backend
// once compositeTools exist, and no backend may take it (its tools would route to the provider).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigText } from '../../../src/config/load.js';

const TOOL = 'compositeTools:\n  - {name: w, description: d, steps: [{id: a, tool: gh.x}]}\n';
const errors = (text: string) =>
  loadConfigText(text, { env: {} })
    .issues.filter((i) => i.severity === 'error')
    .map((i) => `${i.path}: ${i.message}`);

describe('the composite provider name', () => {
  const aggregation = 'aggregation:\n  tools: [{workload: composite, filter: [w]}]\n';
  it('aggregation.tools may name it when there are composite tools', () => {
    assert.deepEqual(errors(`name: t\nbackends: [{name: gh, transport: stdio, command: node}]\n${aggregation}${TOOL}`), []);
  });
  it('is no backend without composite tools', () => {
    assert.deepEqual(errors(`name: t\nbackends: [{name: gh, transport: stdio, command: node}]\n${aggregation}`), [
      'aggregation.tools[0].workload: no backend is named "composite"',
    ]);
  });
  it('is reserved for the gateway when there are composite tools', () => {
    assert.deepEqual(errors(`name: t\nbackends: [{name: composite, transport: stdio, command: node}]\n${TOOL}`), [
      `backends[0].name: "composite" is reserved for the gateway's own tools (compositeTools); rename the backend`,
    ]);
  });
});
