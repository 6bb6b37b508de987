// Tool search indexes the gateway's own tools like any other: a composite tool and code mode's
// execute_tool_script are found by find_tool from their descriptions, and call_tool runs them
// through the chain like a direct call.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectClient, EVERYTHING, startGateway, stdioBackend, text } from '../helpers/gateway.js';

interface Found {
  tools: { name: string }[];
}

const config = {
  name: 'search-virtual',
  backends: [stdioBackend('everything', EVERYTHING, ['stdio'])],
  optimizer: { maxToolsToReturn: 5 },
  codeMode: { enabled: true },
  compositeTools: [
    {
      name: 'greet_twice',
      description: 'Send a greeting twice through the echo tool and report both replies',
      parameters: { type: 'object', properties: { who: { type: 'string' } }, required: ['who'] },
      steps: [
        { id: 'first', tool: 'everything.echo', arguments: { message: 'hello {{.params.who}}' } },
        { id: 'second', tool: 'everything.echo', arguments: { message: 'hi again {{.params.who}}' }, dependsOn: ['first'] },
      ],
    },
  ],
};

describe('tool search over composite tools and code mode', () => {
  it('finds and calls a composite tool and execute_tool_script', async () => {
    await using gw = await startGateway(config);
    await using client = await connectClient(gw.url);
    const listed = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(listed.includes('find_tool') && listed.includes('call_tool'), listed.join(', '));
    const find = async (description: string) => {
      const r = await client.callTool({ name: 'find_tool', arguments: { tool_description: description, tool_keywords: [] } });
      assert.notEqual(r.isError, true, text(r));
      return (r.structuredContent as unknown as Found).tools.map((t) => t.name);
    };
    const greeting = await find('greet someone twice and report the replies');
    const composite = greeting.find((n) => n.endsWith('greet_twice'));
    assert.ok(composite, `the composite tool is found: ${greeting.join(', ')}`);
    const script = await find('execute a script that calls several tools');
    assert.ok(script.includes('execute_tool_script'), `execute_tool_script is found: ${script.join(', ')}`);

    const viaSearch = await client.callTool({ name: 'call_tool', arguments: { tool_name: composite, parameters: { who: 'ada' } } });
    assert.notEqual(viaSearch.isError, true, text(viaSearch));
    assert.match(JSON.stringify(viaSearch), /hi again ada/);
    const scripted = await client.callTool({
      name: 'call_tool',
      arguments: {
        tool_name: 'execute_tool_script',
        parameters: { script: 'return (await tools.everything_echo({ message: "from a script" }));' },
      },
    });
    assert.notEqual(scripted.isError, true, text(scripted));
    assert.match(JSON.stringify(scripted), /from a script/);
  });
});
