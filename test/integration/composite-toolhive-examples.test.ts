// The composite tools of test/fixtures/composite/*.yaml (the keys and shapes of ToolHive's own
// examples) run unchanged through a gateway: each file's compositeTools as written, its
// workloads replaced by scripted-tools.mjs backends of the same names and tools, answering
// questions like a user would. The files' validation is covered by test/unit/composite/validate.
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { connectClient, FIXTURES, ROOT, startGateway, stdioBackend, text } from '../helpers/gateway.js';

type Script = Record<string, { structured?: unknown; text?: string; fail?: true }>;
type Result = { isError?: boolean; structuredContent?: Record<string, unknown> };

interface Example {
  file: string;
  tool: string;
  backends: Record<string, Script>;
  args: Record<string, unknown>;
  answer?: (message: string) => Record<string, string | number | boolean | string[]>;
  check(r: Result): void;
}

const echo = {};
const args = (r: Result) => (r.structuredContent?.['args'] ?? {}) as Record<string, unknown>;

const EXAMPLES: Example[] = [
  {
    file: 'deploy-and-notify.yaml',
    tool: 'deploy_and_notify',
    backends: { github: { merge_pr: echo }, kubernetes: { deploy: echo } },
    args: { pr_number: 42 },
    answer: () => ({ environment: 'staging' }),
    check: (r) => assert.deepEqual(args(r), { pr: '42', environment: 'staging' }),
  },
  {
    file: 'default-results.yaml',
    tool: 'enriched_lookup',
    backends: {
      db: { query: { text: '{"id":"e1"}' } },
      enrichment: { service: echo },
      external: { api: { fail: true } },
      processor: { combine: echo },
    },
    args: { entity_id: 'e1' },
    check: (r) =>
      assert.deepEqual(args(r), {
        core: '{"id":"e1"}',
        enrichment: '{"enriched": false, "source": "none"}',
        external: '{"available": false}',
      }),
  },
  {
    file: 'fetch-and-validate.yaml',
    tool: 'fetch_and_validate_data',
    backends: { fetch: { fetch: { structured: { body: 'the body' } } }, 'yardstick-sse': { echo } },
    args: { url: 'https://example.com/data' },
    check: (r) => assert.match(String(args(r)['message']), /^Successfully fetched and validated data from https:\/\/example.com\/data/),
  },
  {
    file: 'foreach-vulns.yaml',
    tool: 'scan_image',
    backends: {
      'oci-registry': {
        get_image_config: { structured: { packages: ['a', 'b', 'c'].map((name) => ({ name, ecosystem: 'npm', version: '1.0.0' })) } },
      },
      osv: { query_vulnerability: echo },
      reporter: { summarize: echo },
    },
    args: { image: 'alpine:3' },
    check: (r) => {
      assert.equal(args(r)['total'], '3');
      assert.equal(args(r)['failed'], '0');
      assert.match(String(args(r)['results']), /"package_name":"b"/);
    },
  },
  {
    file: 'interactive-deploy.yaml',
    tool: 'interactive_deployment',
    backends: { 'yardstick-streamable': { echo } },
    args: {},
    answer: (message): Record<string, boolean | string> => (/proceed/.test(message) ? { proceed: true } : { environment: 'production' }),
    check: (r) => assert.deepEqual(args(r), { input: 'DeploymentCompletedSuccessfully' }),
  },
  {
    file: 'multi-source-data.yaml',
    tool: 'process_multi_source_data',
    backends: {
      fetch: { fetch: { structured: { body: 'rows' } } },
      'yardstick-sse': { echo, add: { structured: { result: 150 } }, sampleLLM: { structured: { response: 'looks fine' } } },
      'yardstick-streamable': { longecho: echo },
    },
    args: { source_url_1: 'https://a.example', source_url_2: 'https://b.example' },
    check: (r) => assert.match(String(args(r)['message']), /^Report generation completed successfully/),
  },
  {
    file: 'structured-output.yaml',
    tool: 'structured_content_test',
    backends: {
      users: {
        get_user: {
          structured: { name: 'Ada', role: 'admin', score: 95.5, login_count: 12, profile: { email: 'ada@example.com', verified: true } },
        },
      },
    },
    args: { user_id: 'u1' },
    check: (r) =>
      assert.deepEqual(r.structuredContent, {
        user_name: 'Ada',
        user_email: 'ada@example.com',
        is_admin: 'role_admin',
        high_score: 'score_high',
        frequent_user: 'logins_frequent',
        login_count: 12,
        profile: { email: 'ada@example.com', verified: true },
      }),
  },
];

/** The file's config with its workloads swapped for scripted stand-ins (same names, same tools). */
function configOf(example: Example): Record<string, unknown> {
  const config = parse(readFileSync(`${ROOT}test/fixtures/composite/${example.file}`, 'utf8')) as Record<string, unknown>;
  const backends = Object.entries(example.backends).map(([name, script]) =>
    stdioBackend(name, `${FIXTURES}/scripted-tools.mjs`, ['--name', name, '--tools', JSON.stringify(script)]),
  );
  return { name: config['name'], backends, compositeTools: config['compositeTools'] };
}

describe("ToolHive's composite examples run unchanged", { concurrency: 4 }, () => {
  for (const example of EXAMPLES) {
    it(`${example.file}: ${example.tool}`, async () => {
      await using gw = await startGateway(configOf(example));
      await using client = await connectClient(gw.url, { capabilities: { elicitation: { form: {} } } });
      client.setRequestHandler('elicitation/create', async (req) => ({
        action: 'accept',
        content: example.answer!(String(req.params.message)),
      }));
      const r = (await client.callTool({ name: `composite_${example.tool}`, arguments: example.args })) as Result;
      assert.equal(r.isError, undefined, text(r as never));
      example.check(r);
    });
  }
});
