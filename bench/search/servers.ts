// The published MCP servers whose real tool definitions make up the search benchmark's catalog.
// Each is started over stdio with dummy credentials (tools/list needs none of them: no server here
// calls its API before a tool is used) and a loopback-only target where it takes a URL.
// Versions are pinned in bench/search/servers/package.json.

export interface ServerSpec {
  /** Fixture name and the backend name the benchmark prefixes tools with (`<server>_<tool>`). */
  readonly server: string;
  readonly pkg: string;
  /** The package's bin script, relative to the package directory. */
  readonly bin: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

const DUMMY = 'dummy-token-for-tools-list';

export const SERVERS: readonly ServerSpec[] = [
  { server: 'github', pkg: '@modelcontextprotocol/server-github', bin: 'dist/index.js', env: { GITHUB_PERSONAL_ACCESS_TOKEN: DUMMY } },
  {
    server: 'gitlab',
    pkg: '@modelcontextprotocol/server-gitlab',
    bin: 'dist/index.js',
    env: { GITLAB_PERSONAL_ACCESS_TOKEN: DUMMY, GITLAB_API_URL: 'http://127.0.0.1:9/api/v4' },
  },
  {
    server: 'slack',
    pkg: '@modelcontextprotocol/server-slack',
    bin: 'dist/index.js',
    env: { SLACK_BOT_TOKEN: DUMMY, SLACK_TEAM_ID: 'T000' },
  },
  { server: 'filesystem', pkg: '@modelcontextprotocol/server-filesystem', bin: 'dist/index.js', args: ['.'] },
  { server: 'puppeteer', pkg: '@modelcontextprotocol/server-puppeteer', bin: 'dist/index.js' },
  { server: 'playwright', pkg: '@playwright/mcp', bin: 'cli.js', args: ['--headless'] },
  {
    server: 'chrome_devtools',
    pkg: 'chrome-devtools-mcp',
    bin: 'build/src/bin/chrome-devtools-mcp.js',
    env: { CHROME_DEVTOOLS_MCP_NO_USAGE_STATISTICS: '1' },
  },
  { server: 'notion', pkg: '@notionhq/notion-mcp-server', bin: 'bin/cli.mjs', env: { NOTION_TOKEN: DUMMY } },
  { server: 'stripe', pkg: '@stripe/mcp', bin: 'dist/index.js', args: ['--tools=all', '--api-key=sk_test_dummy'] },
  { server: 'brave', pkg: '@modelcontextprotocol/server-brave-search', bin: 'dist/index.js', env: { BRAVE_API_KEY: DUMMY } },
  { server: 'tavily', pkg: 'tavily-mcp', bin: 'build/index.js', env: { TAVILY_API_KEY: DUMMY } },
  { server: 'maps', pkg: '@modelcontextprotocol/server-google-maps', bin: 'dist/index.js', env: { GOOGLE_MAPS_API_KEY: DUMMY } },
  { server: 'postgres', pkg: '@modelcontextprotocol/server-postgres', bin: 'dist/index.js', args: ['postgresql://127.0.0.1:9/bench'] },
  { server: 'mongodb', pkg: 'mongodb-mcp-server', bin: 'dist/esm/index.js', env: { MDB_MCP_TELEMETRY: 'disabled' } },
  { server: 'kubernetes', pkg: 'mcp-server-kubernetes', bin: 'dist/index.js' },
  { server: 'git', pkg: '@cyanheads/git-mcp-server', bin: 'dist/index.js', env: { MCP_TRANSPORT_TYPE: 'stdio', MCP_LOG_LEVEL: 'error' } },
  { server: 'circleci', pkg: '@circleci/mcp-server-circleci', bin: 'dist/index.js', env: { CIRCLECI_TOKEN: DUMMY } },
  {
    server: 'desktop_commander',
    pkg: '@wonderwhy-er/desktop-commander',
    bin: 'dist/index.js',
    env: { DESKTOP_COMMANDER_DISABLE_TELEMETRY: '1' },
  },
  { server: 'airtable', pkg: 'airtable-mcp-server', bin: 'dist/main.js', env: { AIRTABLE_API_KEY: DUMMY } },
  { server: 'exa', pkg: 'exa-mcp-server', bin: 'dist/stdio.cjs', env: { EXA_API_KEY: DUMMY } },
  { server: 'memory', pkg: '@modelcontextprotocol/server-memory', bin: 'dist/index.js' },
  { server: 'thinking', pkg: '@modelcontextprotocol/server-sequential-thinking', bin: 'dist/index.js' },
  { server: 'everything', pkg: '@modelcontextprotocol/server-everything', bin: 'dist/index.js', args: ['stdio'] },
];
