// The ranking signals on top of BM25F: coordination over the request's words (synonyms included),
// name coverage, the server-name hint, joined case-split words, and numbers as arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { searchMany } from '../../../src/search/bm25.js';
import { DEFAULT_RANKING, type RankingOptions } from '../../../src/search/ranking-options.js';
import { queryPlan } from '../../../src/search/query.js';
import { terms } from '../../../src/search/tokenize.js';
import { ToolIndex } from '../../../src/search/tool-index.js';

const tool = (name: string, description: string) => ({ name, description, inputSchema: { type: 'object' } });
const top = (index: ToolIndex, description: string, ranking: RankingOptions = DEFAULT_RANKING) =>
  searchMany([index], { description, limit: 3 }, ranking).map((h) => h.name);

test('a word split only by case also gives its joined form; a request keeps only the joined one', () => {
  assert.deepEqual(terms('GitHub getUser'), ['git', 'hub', 'github', 'get', 'user', 'getus']);
  assert.deepEqual(terms('GitHub pulls', 'joined'), ['github', 'pull']);
  assert.deepEqual(terms('chrome_devtools v2'), ['chrome', 'devtool', 'v2']);
});

test('a bare number in a request is an argument, not a term', () => {
  const plan = queryPlan({ description: 'reply on issue 17' });
  assert.deepEqual(
    plan.concepts.map((c) => c.head),
    ['repli', 'issu'],
  );
  assert.ok(plan.concepts[0]!.members.includes('comment'), 'a concept holds its synonyms');
});

test('coordination: a tool matching part of the request keeps only that IDF-weighted share of its score', () => {
  const index = new ToolIndex([
    tool('chart_render', 'Render a chart'),
    tool('ops_apply', 'Apply a chart rollout'),
    ...['one', 'two', 'three', 'four'].map((n) => tool(`misc_${n}`, `unrelated ${n}`)),
  ]);
  const off = { ...DEFAULT_RANKING, coordination: 0, nameCoverage: 0, serverHint: 0 };
  const score = (ranking: RankingOptions) =>
    new Map(searchMany([index], { description: 'chart rollout', limit: 3 }, ranking).map((h) => [h.name, h.score]));
  const [without, withCoord] = [score(off), score({ ...off, coordination: 1 })];
  const idf = (df: number) => Math.log(1 + (6 - df + 0.5) / (df + 0.5));
  assert.equal(withCoord.get('ops_apply'), without.get('ops_apply'), 'every word matched: unchanged');
  const share = idf(2) / (idf(2) + idf(1));
  assert.ok(Math.abs(withCoord.get('chart_render')! - without.get('chart_render')! * share) < 1e-9);
});

test('name coverage: the tool whose whole name the request explains ranks first', () => {
  const index = new ToolIndex([
    tool('billing_list_subscriptions', 'List subscriptions of a customer, with their plan and status'),
    tool('billing_cancel_subscription', 'Cancels a subscription'),
    ...['a', 'b', 'c'].map((n) => tool(`other_${n}`, `unrelated ${n}`)),
  ]);
  const plain = { ...DEFAULT_RANKING, nameCoverage: 0 };
  assert.equal(top(index, "stop a customer's subscription plan", plain)[0], 'billing_list_subscriptions');
  assert.equal(top(index, "stop a customer's subscription plan")[0], 'billing_cancel_subscription');
});

test('server hint: a request naming a server prefers that server’s tools', () => {
  const index = new ToolIndex([
    tool('github_create_issue', 'Create an issue in a repository'),
    tool('gitlab_create_issue', 'Create an issue in a project, with labels and a description of the issue'),
    ...['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((n) => tool(`tool_${n}`, `unrelated ${n}`)),
  ]);
  assert.equal(top(index, 'create an issue on GitHub')[0], 'github_create_issue');
  assert.equal(top(index, 'create an issue on GitLab')[0], 'gitlab_create_issue');
});
