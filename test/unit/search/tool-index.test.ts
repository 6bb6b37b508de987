import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchMany } from '../../../src/search/bm25.js';
import { DEFAULT_RANKING } from '../../../src/search/ranking-options.js';
import { ToolIndex } from '../../../src/search/tool-index.js';
import { setTermCacheMode } from '../../../src/search/tokenize.js';
import type { ToolDefinition } from '../../../src/search/tool-definition.js';

const tool = (name: string, description: string, params: Record<string, string> = {}): ToolDefinition => ({
  name,
  description,
  inputSchema: {
    type: 'object',
    properties: Object.fromEntries(Object.entries(params).map(([k, d]) => [k, { type: 'string', description: d }])),
  },
});

const TOOLS = [
  tool('github_create_issue', 'Create a new issue in a GitHub repository', { owner: 'Repository owner', title: 'Issue title' }),
  tool('gitlab_create_issue', 'Create a new issue in a GitLab project', { project_id: 'Project ID or path' }),
  tool('github_list_commits', 'Get list of commits of a branch in a GitHub repository'),
  tool('slack_post_message', 'Post a new message to a Slack channel', { channel_id: 'The ID of the channel' }),
  tool('fs_read_file', 'Read the complete contents of a file', { path: 'Path of the file' }),
  tool('maps_elevation', 'Get elevation data for locations on the earth'),
];

const names = (hits: { name: string }[]): string[] => hits.map((h) => h.name);

test('ranks by name, description and parameters, with stemming', () => {
  const index = new ToolIndex(TOOLS);
  assert.equal(names(searchMany([index], { description: 'open an issue on GitHub', limit: 3 }))[0], 'github_create_issue');
  assert.equal(names(searchMany([index], { description: 'new issues for my gitlab project', limit: 3 }))[0], 'gitlab_create_issue');
  assert.equal(names(searchMany([index], { description: 'posting messages to channels', limit: 1 }))[0], 'slack_post_message');
});

test('keywords feed the ranking next to the description', () => {
  const index = new ToolIndex(TOOLS);
  const hits = searchMany([index], { description: 'create an issue', keywords: ['gitlab'], limit: 2 });
  assert.equal(hits[0]?.name, 'gitlab_create_issue');
});

test('synonyms and abbreviations expand queries; expansion none turns that off', () => {
  const index = new ToolIndex(TOOLS);
  assert.equal(searchMany([index], { description: 'report a bug in the repo', limit: 1 })[0]?.name, 'github_create_issue');
  const none = searchMany([index], { description: 'bug', limit: 5 }, { ...DEFAULT_RANKING, expansion: 'none' });
  assert.deepEqual(none, []);
});

test('a query with no known term finds nothing, and limit bounds the result', () => {
  const index = new ToolIndex(TOOLS);
  assert.deepEqual(searchMany([index], { description: 'the of and', limit: 5 }), []);
  assert.equal(searchMany([index], { description: 'github gitlab slack file', limit: 2 }).length, 2);
  assert.deepEqual(searchMany([index], { description: 'github', limit: 0 }), []);
});

test('allow hides tools from scoring and from the result', () => {
  const index = new ToolIndex(TOOLS);
  const asked: string[] = [];
  const allow = (name: string): boolean => (asked.push(name), !name.startsWith('github_'));
  const hits = searchMany([index], { description: 'create an issue in a GitHub repository', limit: 8, allow });
  assert.ok(hits.length > 0);
  assert.ok(
    hits.every((h) => !h.name.startsWith('github_')),
    JSON.stringify(hits),
  );
  assert.equal(new Set(asked).size, asked.length, 'allow is asked once per tool and search');
});

test('searchMany over two indexes ranks exactly like one index over the union', () => {
  const whole = new ToolIndex(TOOLS);
  const shared = new ToolIndex(TOOLS.slice(1));
  const perUser = new ToolIndex(TOOLS.slice(0, 1));
  for (const description of ['create an issue in a GitHub repository', 'read a file', 'list commits of a branch', 'message a channel']) {
    const one = searchMany([whole], { description, limit: 6 });
    const many = searchMany([shared, perUser], { description, limit: 6 });
    assert.deepEqual(names(many), names(one), description);
    many.forEach((hit, i) => assert.ok(Math.abs(hit.score - one[i]!.score) < 1e-9));
  }
});

test('searchMany returns a name once, from the first index that has it', () => {
  const a = new ToolIndex([tool('x_read', 'read things')]);
  const b = new ToolIndex([tool('x_read', 'read things twice read')]);
  assert.deepEqual(names(searchMany([a, b], { description: 'read', limit: 5 })), ['x_read']);
});

test('update returns a new index with changes applied and leaves the old one intact', () => {
  const v1 = new ToolIndex(TOOLS);
  const v2 = v1.update({ upsert: [tool('maps_elevation', 'Altitude above sea level of a place')], remove: ['fs_read_file'] });
  assert.equal(v1.size, 6);
  assert.equal(v2.size, 5);
  assert.equal(v2.has('fs_read_file'), false);
  // Without synonyms: "altitude" would otherwise also find v1's tools that mention an elevation.
  assert.equal(searchMany([v1], { description: 'altitude', limit: 1 }, { ...DEFAULT_RANKING, expansion: 'none' }).length, 0);
  assert.equal(searchMany([v2], { description: 'altitude above sea level', limit: 1 })[0]?.name, 'maps_elevation');
  assert.ok(!names(searchMany([v2], { description: 'read the file contents', limit: 3 })).includes('fs_read_file'));
  assert.deepEqual(
    names(searchMany([v2], { description: 'read the file contents', limit: 3 }, { ...DEFAULT_RANKING, expansion: 'none' })),
    [],
  );
});

test('later definitions of a name replace earlier ones', () => {
  const index = new ToolIndex([tool('a', 'first'), tool('a', 'second')]);
  assert.equal(index.size, 1);
  assert.equal(index.get('a')?.description, 'second');
});

test('token estimates are JSON bytes / 4, per tool and in total (optionally filtered)', () => {
  const index = new ToolIndex(TOOLS);
  const expected = (t: ToolDefinition): number => Math.floor(Buffer.byteLength(JSON.stringify(t)) / 4);
  assert.equal(index.tokensOf('slack_post_message'), expected(TOOLS[3]!));
  assert.equal(
    index.totalTokens(),
    TOOLS.reduce((s, t) => s + expected(t), 0),
  );
  assert.equal(
    index.totalTokens((n) => n === 'maps_elevation'),
    expected(TOOLS[5]!),
  );
});

test('argument values (paths, URLs, quoted text) weigh less than the words of the request', () => {
  const index = new ToolIndex([
    tool('fs_create_directory', 'Create a new directory'),
    tool('ci_build_logs', 'Build logs of the latest build output of a CI build'),
  ]);
  assert.equal(searchMany([index], { description: 'create the folder build/output', limit: 1 })[0]?.name, 'fs_create_directory');
  assert.equal(searchMany([index], { description: "create a directory named 'build output'", limit: 1 })[0]?.name, 'fs_create_directory');
  const ciScore = (description: string): number =>
    searchMany([index], { description, limit: 2 }).find((h) => h.name === 'ci_build_logs')!.score;
  assert.ok(ciScore('create the folder build/output') < ciScore('create the folder build output') / 2);
});

test('a tool analysed from remembered text ranks exactly like one analysed afresh', () => {
  const query = { description: 'create an issue in a GitHub repository', limit: 6 };
  const remembered = searchMany([new ToolIndex(TOOLS.map((t) => ({ ...t })))], query);
  const again = searchMany([new ToolIndex(TOOLS.map((t) => ({ ...t, name: `x_${t.name}` })))], query);
  setTermCacheMode('off');
  try {
    const fresh = searchMany([new ToolIndex(TOOLS.map((t) => ({ ...t })))], query);
    assert.deepEqual(remembered, fresh);
    assert.deepEqual(
      again.map((h) => h.name),
      fresh.map((h) => `x_${h.name}`),
    );
  } finally {
    setTermCacheMode('remember');
  }
});
