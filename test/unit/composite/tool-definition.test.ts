// The advertised tool (schemas, derived annotations), step tool resolution and the checks that
// need the catalog: unknown/ambiguous step tools, name clashes, annotation contradictions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deriveAnnotations } from '../../../src/composite/annotations.js';
import { CompositeToolRegistry } from '../../../src/composite/registry.js';
import { catalogLookup, compositeCatalogIssues, compositeToolDefinition } from '../../../src/composite/tool-definition.js';
import { resolveToolReference } from '../../../src/composite/tool-ref.js';
import type { ToolCandidate } from '../../../src/composite/tool-ref.js';
import { FakeHost, structured, workflow } from './fake-host.js';

const catalog: ToolCandidate[] = [
  {
    name: 'github_get_issue',
    backend: 'github',
    originalName: 'get_issue',
    annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: false },
  },
  {
    name: 'github_search',
    backend: 'github',
    originalName: 'search',
    annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: true },
  },
  { backend: 'github', originalName: 'delete_repo', annotations: { readOnlyHint: false, destructiveHint: true } },
  { name: 'jira_search', backend: 'jira', originalName: 'search' },
];

describe('tool references', () => {
  it('resolves advertised names, workload.tool (hidden tools too) and unique bare names', () => {
    const name = (ref: string): string => {
      const r = resolveToolReference(ref, catalog);
      return r.kind === 'found'
        ? `${r.tool.backend}/${r.tool.originalName}`
        : r.kind === 'ambiguous'
          ? `ambiguous ${r.backends.join(',')}`
          : 'unknown';
    };
    assert.equal(name('github_get_issue'), 'github/get_issue');
    assert.equal(name('github.get_issue'), 'github/get_issue');
    assert.equal(name('github.delete_repo'), 'github/delete_repo');
    assert.equal(name('delete_repo'), 'github/delete_repo');
    assert.equal(name('search'), 'ambiguous github,jira');
    assert.equal(name('jira.search'), 'jira/search');
    assert.equal(name('nope'), 'unknown');
  });
});

describe('annotations', () => {
  it('derives readOnly as AND and destructive/openWorld as OR, unknown steps counting as unsafe', () => {
    assert.deepEqual(deriveAnnotations([{ readOnlyHint: true, destructiveHint: false, openWorldHint: false }]), {
      readOnlyHint: true,
      destructiveHint: false,
      openWorldHint: false,
    });
    assert.deepEqual(deriveAnnotations([{ readOnlyHint: true, destructiveHint: false, openWorldHint: false }, undefined]), {
      readOnlyHint: false,
      destructiveHint: true,
      openWorldHint: true,
    });
    assert.equal(deriveAnnotations([]), undefined);
  });

  it('advertises the schemas and the merged annotations', () => {
    const wf = workflow({
      name: 'triage',
      description: 'Look up and search',
      parameters: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
      annotations: { title: 'Triage', idempotentHint: true },
      steps: [
        { id: 'get', tool: 'github.get_issue' },
        { id: 'each', type: 'forEach', collection: '[1]', dependsOn: ['get'], step: { tool: 'github_search' } },
      ],
      output: {
        properties: { title: { type: 'string', description: 'Issue title', value: '{{.steps.get.output.title}}' } },
        required: ['title'],
      },
    });
    assert.deepEqual(compositeToolDefinition(wf.config, catalogLookup(catalog)), {
      name: 'triage',
      description: 'Look up and search',
      inputSchema: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
      outputSchema: { type: 'object', properties: { title: { type: 'string', description: 'Issue title' } }, required: ['title'] },
      annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: true, title: 'Triage', idempotentHint: true },
    });
  });

  it('reports contradictions, unknown and ambiguous step tools and name clashes', () => {
    const wf = workflow({
      name: 'github_search',
      description: 'd',
      annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: false },
      steps: [
        { id: 'a', tool: 'github.delete_repo' },
        { id: 'b', tool: 'search' },
        { id: 'c', tool: 'gitlab.whatever' },
      ],
    });
    assert.deepEqual(compositeCatalogIssues([wf.config], catalog), [
      { path: 'compositeTools[0].name', message: 'a backend tool is already named "github_search"', severity: 'error' },
      {
        path: 'compositeTools[0].steps[1].tool',
        message: '"search" is offered by github, jira: write "github.search" or "jira.search"',
        severity: 'error',
      },
      { path: 'compositeTools[0].steps[2].tool', message: 'no backend tool "gitlab.whatever"', severity: 'warning' },
      {
        path: 'compositeTools[0].annotations.readOnlyHint',
        message: 'readOnlyHint is true, but not every step tool is read-only',
        severity: 'error',
      },
      {
        path: 'compositeTools[0].annotations.destructiveHint',
        message: 'destructiveHint is false, but a step tool is destructive (or does not say)',
        severity: 'error',
      },
      {
        path: 'compositeTools[0].annotations.openWorldHint',
        message: 'openWorldHint is false, but a step tool is open-world (or does not say)',
        severity: 'error',
      },
    ]);
  });
});

describe('registry', () => {
  it('compiles a config once and calls a workflow by name', async () => {
    const registry = new CompositeToolRegistry([workflow({ name: 'w', description: 'd', steps: [{ id: 's', tool: 't.x' }] }).config]);
    const host = new FakeHost();
    host.tools.set('t.x', () => structured({ ok: true }));
    assert.deepEqual(registry.names(), ['w']);
    assert.deepEqual((await registry.call('w', {}, host)).structuredContent, { ok: true });
    assert.equal((await registry.call('nope', {}, host)).isError, true);
  });

  it('refuses to compile a workflow that skipped validation', () => {
    const config = workflow({ name: 'w', description: 'd', steps: [{ id: 's', tool: 't.x' }] }).config;
    const broken = { ...config, steps: [{ ...config.steps[0]!, condition: '{{range .x}}{{end}}' }] };
    assert.throws(
      () => new CompositeToolRegistry([broken]),
      /composite tool "w": steps.s.condition: invalid template: \{\{range\}\} is not supported/,
    );
  });
});
