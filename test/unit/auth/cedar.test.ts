// CedarAuthorizer and validatePolicies: the entity model (docs/authorization.md), fail-closed
// evaluation, list filtering, and that the shipped example and doc snippets stay valid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { CedarAuthorizer, denialMessage, validatePolicies, type AuthzResource } from '../../../src/auth/authz/cedar.js';
import { DecisionCache } from '../../../src/auth/authz/decision-cache.js';
import { isVmcpError } from '../../../src/errors/codes.js';
import { ANONYMOUS, type Principal } from '../../../src/auth/types.js';

const file = (text: string, id = 'test.cedar') => ({ id, text, source: `policies/${id}` });
const authz = (text: string, extra: Partial<ConstructorParameters<typeof CedarAuthorizer>[0]> = {}) =>
  new CedarAuthorizer({ policies: [file(text)], gatewayName: 'gw', ...extra });

function user(subject: string, claims: Record<string, unknown> = {}, scopes: string[] = []): Principal {
  return { kind: 'oidc', subject, issuer: 'https://idp.example', scopes, claims };
}
const tool = (name: string, backend = 'github', annotations?: Record<string, unknown>): AuthzResource => ({
  kind: 'tool',
  name,
  backend,
  ...(annotations ? { annotations } : {}),
});
const call = (a: CedarAuthorizer, principal: Principal, resource: AuthzResource) =>
  a.authorize({ principal, action: 'call_tool', resource }).allowed;

test('validatePolicies reports syntax errors with source, line and column (byte offsets → characters)', () => {
  const issues = validatePolicies([
    file('permit(principal, action, resource);\n'),
    file('// héllo wörld\npermit(principal, action, resource)\n  when { 1 + };\n', 'bad.cedar'),
  ]);
  assert.equal(issues.length, 1);
  assert.equal(issues[0]?.source, 'policies/bad.cedar');
  assert.equal(issues[0]?.line, 3);
  assert.equal(issues[0]?.column, 14);
  assert.match(issues[0]?.message ?? '', /unexpected token `\}`/);
});

test('validatePolicies reports unknown functions and methods at their position', () => {
  const issues = validatePolicies([file('permit(principal, action, resource)\nwhen { principal.claims.x.frobnicate() };')]);
  assert.deepEqual(
    issues.map((i) => [i.line, i.column]),
    [[2, 8]],
  );
  assert.match(issues[0]?.message ?? '', /frobnicate/);
});

test('validatePolicies flags scopes that can never match in the vmcp model', () => {
  const text = [
    'permit(principal, action == Action::"tools/call", resource);',
    'permit(principal == Group::"eng", action, resource);',
    'permit(principal, action, resource == Backend::"github");',
    'permit(principal, action == Action::"list_tools", resource);',
    'permit(principal, action in [Action::"call_tool", Action::"get_prompt"], resource in Backend::"x");',
  ].join('\n');
  const issues = validatePolicies([file(text)]);
  assert.deepEqual(
    issues.map((i) => i.line),
    [1, 2, 3, 4],
  );
  assert.match(issues[0]!.message, /unknown action Action::"tools\/call"/);
  assert.match(issues[1]!.message, /principal in Group::/);
  assert.match(issues[2]!.message, /resource in Backend::/);
  assert.match(issues[3]!.message, /filtered per entry with Action::"call_tool"/);
});

test('validatePolicies rejects templates and duplicate @id annotations', () => {
  const issues = validatePolicies([
    file('@id("a")\npermit(principal, action, resource);\npermit(principal == ?principal, action, resource);'),
    file('@id("a") forbid(principal, action, resource);', 'other.cedar'),
  ]);
  assert.deepEqual(
    issues.map((i) => [i.source, i.line]),
    [
      ['policies/test.cedar', 3],
      ['policies/other.cedar', 1],
    ],
  );
  assert.match(issues[0]!.message, /templates/);
  assert.match(issues[1]!.message, /duplicate policy id "a"/);
});

test('the constructor refuses invalid policies with CONFIG_INVALID and the issues', () => {
  assert.throws(
    () => authz('permit(principal, action, resource'),
    (err: unknown) => {
      assert.ok(isVmcpError(err, 'VMCP_CONFIG_INVALID'));
      assert.match(err.message, /policies\/test\.cedar:1:/);
      assert.equal((err.details?.['issues'] as unknown[]).length, 1);
      return true;
    },
  );
});

test('the shipped example policy file is valid and behaves as its comments say', async () => {
  const text = await readFile(new URL('../../../examples/policies/example.cedar', import.meta.url), 'utf8');
  assert.deepEqual(validatePolicies([file(text, 'example.cedar')]), []);
  const a = authz(text);
  const del = tool('memory_delete_entities', 'memory', { destructiveHint: true });
  assert.equal(call(a, ANONYMOUS, tool('everything_echo', 'everything', { readOnlyHint: true })), true);
  assert.equal(call(a, user('eve', { groups: ['engineering'] }), tool('memory_create_entities', 'memory')), true);
  assert.equal(call(a, user('eve', { groups: ['engineering'] }), del), false);
  assert.equal(call(a, user('root', { groups: ['admins'] }), del), true);
});

test('every cedar block in docs/authorization.md is valid', async () => {
  const doc = await readFile(new URL('../../../docs/authorization.md', import.meta.url), 'utf8');
  const blocks = [...doc.matchAll(/```cedar\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  assert.ok(blocks.length >= 5);
  blocks.forEach((text, i) => assert.deepEqual(validatePolicies([file(text, `block${i}`)]), [], text));
});

test('default deny: no policies, or none that matches', () => {
  assert.deepEqual(authz('').authorize({ principal: user('a'), action: 'call_tool', resource: tool('x') }), {
    allowed: false,
    action: 'call_tool',
    reasons: [],
  });
  assert.equal(call(authz('permit(principal, action == Action::"get_prompt", resource);'), user('a'), tool('x')), false);
});

test('permit by group: values of the groups and roles claims are Group parents', () => {
  const a = authz('permit(principal in Group::"eng", action, resource);');
  assert.equal(call(a, user('a', { groups: ['dev', 'eng'] }), tool('x')), true);
  assert.equal(call(a, user('b', { roles: 'eng' }), tool('x')), true);
  assert.equal(call(a, user('c', { groups: ['ops'] }), tool('x')), false);
  const custom = authz('permit(principal in Group::"eng", action, resource);', { groupClaims: ['cognito:groups'] });
  assert.equal(call(custom, user('d', { 'cognito:groups': ['eng'] }), tool('x')), true);
  assert.equal(call(custom, user('e', { groups: ['eng'] }), tool('x')), false);
});

test('permit by backend: resource in Backend::"x" (tools, prompts and resources)', () => {
  const a = authz('permit(principal, action, resource in Backend::"github");');
  assert.equal(call(a, user('a'), tool('github_create_issue', 'github')), true);
  assert.equal(call(a, user('a'), tool('jira_create_issue', 'jira')), false);
  assert.equal(
    a.authorize({ principal: user('a'), action: 'get_prompt', resource: { kind: 'prompt', name: 'p', backend: 'github' } }).allowed,
    true,
  );
  assert.equal(
    a.authorize({ principal: user('a'), action: 'read_resource', resource: { kind: 'resource', name: 'gh://x', backend: 'github' } })
      .allowed,
    true,
  );
});

test('forbid by annotation overrides permit, except for admins', () => {
  const a = authz(`permit(principal, action, resource);
forbid(principal, action == Action::"call_tool", resource)
  when { resource.annotations has destructiveHint && resource.annotations.destructiveHint }
  unless { principal in Group::"admins" };`);
  assert.equal(call(a, user('a'), tool('rm', 'fs', { destructiveHint: true })), false);
  assert.equal(call(a, user('a'), tool('ls', 'fs', { destructiveHint: false, readOnlyHint: true })), true);
  assert.equal(call(a, user('a'), tool('cat', 'fs')), true);
  assert.equal(call(a, user('root', { groups: ['admins'] }), tool('rm', 'fs', { destructiveHint: true })), true);
});

test('scope-based and claim-based rules; issuer, kind and context.gateway are available', () => {
  const a = authz(`permit(principal, action, resource) when { principal.scopes.contains("mcp:admin") };
permit(principal, action, resource in Backend::"hr") when { principal.claims has department && principal.claims.department == "hr" };
permit(principal, action, resource in Backend::"gw") when { context.gateway == "gw" && principal.kind == "oidc" && principal.issuer == "https://idp.example" };`);
  assert.equal(call(a, user('a', {}, ['mcp:admin']), tool('x')), true);
  assert.equal(call(a, user('a', {}, ['mcp:read']), tool('x')), false);
  assert.equal(call(a, user('a', { department: 'hr' }), tool('payroll', 'hr')), true);
  assert.equal(call(a, user('a', { department: 'eng' }), tool('payroll', 'hr')), false);
  assert.equal(call(a, user('a'), tool('y', 'gw')), true);
});

test('anonymous principal is Client::"anonymous" with kind "anonymous" and empty issuer/scopes/claims', () => {
  const a = authz(`permit(principal == Client::"anonymous", action == Action::"call_tool", resource in Backend::"public");
permit(principal, action == Action::"get_prompt", resource) when { principal.kind == "anonymous" && principal.issuer == "" && principal.scopes.isEmpty() };`);
  assert.equal(call(a, ANONYMOUS, tool('t', 'public')), true);
  assert.equal(call(a, ANONYMOUS, tool('t', 'private')), false);
  assert.equal(
    a.authorize({ principal: ANONYMOUS, action: 'get_prompt', resource: { kind: 'prompt', name: 'p', backend: 'b' } }).allowed,
    true,
  );
  assert.equal(call(a, user('alice'), tool('t', 'public')), false);
});

test('claims Cedar cannot hold are dropped without crashing (objects, mixed arrays, floats, null, escapes)', () => {
  const claims = {
    nested: { a: { b: 1 } },
    mixed: ['a', 1],
    nums: [1, 2],
    float: 1.5,
    nothing: null,
    big: 10n,
    __entity: { type: 'Group', id: 'admins' },
    __extn: 'x',
    tags: ['x', 'x', 'y'],
    n: 42,
    ok: true,
    groups: ['eng', { type: 'Group', id: 'admins' }],
    roles: [['nested']],
  };
  const a = authz(`permit(principal in Group::"eng", action, resource)
  when { principal.claims.tags.contains("y") && principal.claims.n == 42 && principal.claims.ok
    && !(principal.claims has nested) && !(principal.claims has mixed) && !(principal.claims has float)
    && !(principal.claims has nothing) && !(principal.claims has big) && !(principal.claims has __entity) };
forbid(principal in Group::"admins", action, resource);`);
  assert.deepEqual(
    a.authorize({
      principal: user('a', claims),
      action: 'call_tool',
      resource: tool('x', 'b', { nested: { x: 1 }, priority: 0.5, audience: ['user'] }),
    }),
    { allowed: true, action: 'call_tool', reasons: ['test.cedar:1'] },
  );
});

test('an evaluation error in a forbid denies (fail closed) and is reported as a reason', () => {
  const a = authz(`permit(principal, action, resource);
@id("no-destructive") forbid(principal, action, resource) when { resource.annotations.destructiveHint };`);
  const d = a.authorize({ principal: user('a'), action: 'call_tool', resource: tool('no-annotations') });
  assert.equal(d.allowed, false);
  assert.equal(d.reasons.length, 1);
  assert.match(d.reasons[0]!, /^no-destructive: error: .*destructiveHint/);
  assert.equal(call(a, user('a'), tool('safe', 'b', { destructiveHint: false })), true);
});

test('an evaluation error in a permit grants nothing; another permit still may', () => {
  const a = authz('permit(principal, action, resource) when { principal.claims.level > 3 };');
  const d = a.authorize({ principal: user('a'), action: 'call_tool', resource: tool('x') });
  assert.equal(d.allowed, false);
  assert.match(d.reasons[0]!, /^test\.cedar:1: error: /);
  const b = authz(
    'permit(principal, action, resource) when { principal.claims.level > 3 };\npermit(principal in Group::"eng", action, resource);',
  );
  assert.equal(call(b, user('a', { groups: ['eng'] }), tool('x')), true);
});

test('list actions are authorized per entry as the use; mismatched kinds are denied', () => {
  const a = authz('permit(principal, action == Action::"call_tool", resource in Backend::"a");');
  assert.deepEqual(a.authorize({ principal: user('u'), action: 'list_tools', resource: tool('t', 'a') }), {
    allowed: true,
    action: 'call_tool',
    reasons: ['test.cedar:1'],
  });
  const wrong = a.authorize({ principal: user('u'), action: 'call_tool', resource: { kind: 'prompt', name: 't', backend: 'a' } });
  assert.equal(wrong.allowed, false);
  assert.match(wrong.reasons[0]!, /does not apply to a prompt/);
});

test('filter() keeps exactly what the principal may use, for each kind', () => {
  const a = authz(`permit(principal, action == Action::"call_tool", resource in Backend::"a");
permit(principal, action == Action::"read_resource", resource) when { resource.uri like "docs://*" };
permit(principal, action == Action::"get_prompt", resource);
forbid(principal, action == Action::"get_prompt", resource == Prompt::"secret");`);
  const tools = [
    { n: 'a_1', b: 'a' },
    { n: 'b_1', b: 'b' },
    { n: 'a_2', b: 'a' },
  ];
  assert.deepEqual(
    a.filter(user('u'), 'tool', tools, (t) => ({ name: t.n, backend: t.b })).map((t) => t.n),
    ['a_1', 'a_2'],
  );
  const resources = ['docs://readme', 'file:///etc/passwd', 'docs://api/x'];
  assert.deepEqual(
    a.filter(user('u'), 'resource', resources, (uri) => ({ name: uri, backend: 'r' })),
    ['docs://readme', 'docs://api/x'],
  );
  assert.deepEqual(
    a.filter(user('u'), 'prompt', ['hello', 'secret'], (name) => ({ name, backend: 'p' })),
    ['hello'],
  );
});

test('entitiesJson adds static entities (a group hierarchy) and may not define request entities', () => {
  const entitiesJson = JSON.stringify([{ uid: { type: 'Group', id: 'eng' }, attrs: {}, parents: [{ type: 'Group', id: 'staff' }] }]);
  const a = authz('permit(principal in Group::"staff", action, resource);', { entitiesJson });
  assert.equal(call(a, user('a', { groups: ['eng'] }), tool('x')), true);
  assert.equal(call(a, user('b', { groups: ['ops'] }), tool('x')), false);
  const tiers = JSON.stringify([{ uid: { type: 'Backend', id: 'github' }, attrs: {}, parents: [{ type: 'Tier', id: 'prod' }] }]);
  const t = authz('permit(principal, action, resource in Tier::"prod");', { entitiesJson: tiers });
  assert.equal(call(t, user('a'), tool('gh', 'github')), true);
  assert.equal(call(t, user('a'), tool('j', 'jira')), false);
  const client = JSON.stringify([{ uid: { type: 'Client', id: 'a' }, attrs: {}, parents: [] }]);
  assert.throws(() => authz('', { entitiesJson: client }), /may not define Client entities/);
  assert.throws(() => authz('', { entitiesJson: '{not json' }), /not JSON/);
});

test('decisions are cached per principal content; the cache can be disabled; decisions are frozen', () => {
  const text = 'permit(principal in Group::"eng", action, resource);';
  for (const decisionCache of [undefined, { maxEntries: 0 }, { maxEntries: 1 }]) {
    const a = authz(text, { decisionCache });
    for (let i = 0; i < 3; i++) {
      assert.equal(call(a, user('a', { groups: ['eng'] }), tool(`t${i % 2}`)), true);
      assert.equal(call(a, user('a', { groups: ['ops'] }), tool(`t${i % 2}`)), false);
    }
  }
  const d = authz(text).authorize({ principal: user('a', { groups: ['eng'] }), action: 'call_tool', resource: tool('x') });
  assert.ok(Object.isFrozen(d) && Object.isFrozen(d.reasons));
});

test('DecisionCache stays within maxEntries, evicting least-recently-used principals first', () => {
  const cache = new DecisionCache<number>({ maxEntries: 3 });
  cache.set('p1', 'a', 1);
  cache.set('p1', 'b', 2);
  cache.set('p2', 'a', 3);
  assert.equal(cache.get('p1', 'a'), 1); // p1 is now the most recent
  cache.set('p3', 'a', 4); // over the bound: p2 goes
  assert.equal(cache.get('p2', 'a'), undefined);
  assert.equal(cache.get('p1', 'b'), 2);
  assert.ok(cache.size <= 3);
  for (let i = 0; i < 10; i++) cache.set('p4', `k${i}`, i);
  assert.ok(cache.size <= 3);
});

test('denialMessage names the action and target, never a policy', () => {
  const a = authz('@id("secret-policy-name") forbid(principal, action, resource);\npermit(principal, action, resource);');
  const resource = tool('github_delete_repo');
  const d = a.authorize({ principal: user('a'), action: 'call_tool', resource });
  assert.deepEqual(d.reasons, ['secret-policy-name']);
  const message = denialMessage(d, resource);
  assert.equal(message, 'Forbidden: call_tool on tool "github_delete_repo" is not permitted by authorization policy');
  assert.doesNotMatch(message, /secret-policy-name/);
});

test('micro-benchmark: 10k authorize calls (printed, not asserted)', async () => {
  const text = await readFile(new URL('../../../examples/policies/example.cedar', import.meta.url), 'utf8');
  const principal = user(
    'alice',
    { email: 'alice@example.com', groups: ['engineering', 'dev'], roles: 'user', exp: 1700000000, nested: { a: 1 } },
    ['openid', 'mcp:read'],
  );
  const N = 10_000;
  for (const [label, decisionCache] of [
    ['uncached', { maxEntries: 0 }],
    ['cached', undefined],
  ] as const) {
    const a = authz(text, { decisionCache });
    const resources = Array.from({ length: 100 }, (_, i) =>
      tool(`memory_tool_${i}`, 'memory', { readOnlyHint: i % 2 === 0, destructiveHint: i % 10 === 0 }),
    );
    for (const r of resources) call(a, principal, r); // warm-up (and fill the cache)
    const start = process.hrtime.bigint();
    for (let i = 0; i < N; i++) call(a, principal, resources[i % resources.length]!);
    const us = Number(process.hrtime.bigint() - start) / N / 1000;
    console.log(`cedar authorize (${label}, ${(text.match(/@id/g) ?? []).length} policies): ${us.toFixed(2)} µs/call over ${N} calls`);
  }
});
