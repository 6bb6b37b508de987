// Natural-language tasks for the retrieval benchmark, each with the tool(s) that do it. Written as
// an agent would describe its need to find_tool, in its own words rather than the tool's (a tool's
// description is never copied), before the engine was tuned. Look-alikes on purpose: GitHub vs
// GitLab vs local git, three browser automation servers, three web search servers, two file
// servers. `expect` lists several tools only where servers offer the very same capability and the
// task gives no reason to prefer one (any of them counts as a hit).

export interface Task {
  readonly query: string;
  readonly expect: string | readonly string[];
}

const BROWSER_CLICK = ['puppeteer_puppeteer_click', 'playwright_browser_click', 'chrome_devtools_click'];
const BROWSER_HOVER = ['puppeteer_puppeteer_hover', 'playwright_browser_hover', 'chrome_devtools_hover'];
const BROWSER_SHOT = ['puppeteer_puppeteer_screenshot', 'playwright_browser_take_screenshot', 'chrome_devtools_take_screenshot'];
const WEB_SEARCH = ['brave_brave_web_search', 'tavily_tavily_search', 'exa_web_search_exa'];

export const TASKS: readonly Task[] = [
  // GitHub
  { query: 'Open a bug report in the octocat/hello-world GitHub repo saying the login button crashes', expect: 'github_create_issue' },
  { query: 'Propose merging my feature branch into main on GitHub', expect: 'github_create_pull_request' },
  { query: "Make my own copy of someone else's GitHub repository under my account", expect: 'github_fork_repository' },
  { query: 'Find GitHub projects about rust async runtimes', expect: 'github_search_repositories' },
  { query: "Show me what's inside README.md of the facebook/react repo on GitHub", expect: 'github_get_file_contents' },
  { query: 'Approve a GitHub pull request and say it looks good', expect: 'github_create_pull_request_review' },
  { query: 'Which files did pull request #42 on GitHub touch?', expect: 'github_get_pull_request_files' },
  { query: 'Are the CI checks green on my GitHub PR?', expect: 'github_get_pull_request_status' },
  { query: 'Reply on GitHub issue 17 that the fix has shipped', expect: 'github_add_issue_comment' },
  { query: 'Close GitHub issue #88 and relabel it as wontfix', expect: 'github_update_issue' },
  { query: 'Look for usages of the function parseConfig across all code on GitHub', expect: 'github_search_code' },
  { query: 'Find GitHub accounts of people located in Berlin', expect: 'github_search_users' },
  { query: 'Land pull request 12 on GitHub with a squash', expect: 'github_merge_pull_request' },
  { query: 'Show the recent commit history of the main branch of a GitHub repository', expect: 'github_list_commits' },
  { query: 'Bring my GitHub PR branch up to date with its base branch', expect: 'github_update_pull_request_branch' },
  { query: 'Upload several changed files to GitHub as one commit', expect: 'github_push_files' },
  { query: 'Start a new empty repository on GitHub called notes', expect: 'github_create_repository' },
  { query: 'Show the open bugs of a GitHub repository', expect: 'github_list_issues' },
  // GitLab
  { query: 'File a bug in my GitLab project about the broken pipeline badge', expect: 'gitlab_create_issue' },
  { query: 'Ask for my GitLab branch feature-x to be reviewed and merged into main', expect: 'gitlab_create_merge_request' },
  { query: 'Fork the gitlab-org/gitlab-runner project into my namespace', expect: 'gitlab_fork_repository' },
  { query: 'Look for GitLab projects related to terraform modules', expect: 'gitlab_search_repositories' },
  { query: 'Read the .gitlab-ci.yml file from my GitLab project', expect: 'gitlab_get_file_contents' },
  { query: 'Add a new branch called hotfix to my GitLab project', expect: 'gitlab_create_branch' },
  { query: 'Commit a change to a single file directly in a GitLab project', expect: 'gitlab_create_or_update_file' },
  { query: 'Set up a brand-new GitLab project for the docs site', expect: 'gitlab_create_repository' },
  // local git
  { query: "Record my staged changes in the local repository with the message 'fix typo'", expect: 'git_git_commit' },
  { query: 'Which of my local files are modified but not staged yet?', expect: 'git_git_status' },
  { query: 'Temporarily shelve my uncommitted work so I can switch tasks', expect: 'git_git_stash' },
  { query: 'Who last changed each line of src/app.ts?', expect: 'git_git_blame' },
  { query: 'Switch my working copy to the release branch', expect: 'git_git_checkout' },
  { query: 'Apply one specific commit from another branch onto the current one', expect: 'git_git_cherry_pick' },
  { query: 'Download a copy of a remote git repository onto my machine', expect: 'git_git_clone' },
  { query: 'Upload my local commits to the origin remote', expect: 'git_git_push' },
  { query: 'Show what changed between two commits in my local repository', expect: 'git_git_diff' },
  { query: 'Undo the last local commit but keep its changes in the working tree', expect: 'git_git_reset' },
  { query: 'Mark the current commit as version v1.2.0', expect: 'git_git_tag' },
  { query: 'Integrate the develop branch into my current local branch', expect: 'git_git_merge' },
  { query: 'Recover a lost commit by looking at where HEAD has pointed recently', expect: 'git_git_reflog' },
  // Slack
  { query: 'Send a message to the #general Slack channel saying the deploy is done', expect: 'slack_slack_post_message' },
  { query: 'Respond inside an existing Slack conversation thread', expect: 'slack_slack_reply_to_thread' },
  { query: 'React with a thumbs up emoji to a Slack message', expect: 'slack_slack_add_reaction' },
  { query: 'What were the latest messages posted in the #random Slack channel?', expect: 'slack_slack_get_channel_history' },
  { query: 'Look up the Slack profile of a specific teammate', expect: 'slack_slack_get_user_profile' },
  { query: 'Which channels exist in our Slack workspace?', expect: 'slack_slack_list_channels' },
  // local files
  { query: 'Show the folder structure of the project as a nested tree', expect: 'filesystem_directory_tree' },
  { query: 'Which directories am I permitted to access on disk?', expect: 'filesystem_list_allowed_directories' },
  {
    query: 'Replace a few lines in config.ts on disk and show me a diff',
    expect: ['filesystem_edit_file', 'desktop_commander_edit_block'],
  },
  { query: 'Open a PNG from disk and return it as an image', expect: 'filesystem_read_media_file' },
  { query: 'Rename report.txt to report-2024.txt', expect: ['filesystem_move_file', 'desktop_commander_move_file'] },
  { query: 'Make a new folder called build/output', expect: ['filesystem_create_directory', 'desktop_commander_create_directory'] },
  { query: 'Show the files in the docs folder together with how big each one is', expect: 'filesystem_list_directory_with_sizes' },
  { query: 'Find all files ending in .log under /var/app', expect: ['filesystem_search_files', 'desktop_commander_start_search'] },
  {
    query: 'When was package.json last modified and how large is it?',
    expect: ['filesystem_get_file_info', 'desktop_commander_get_file_info'],
  },
  { query: 'Overwrite notes.txt on disk with new text', expect: ['filesystem_write_file', 'desktop_commander_write_file'] },
  {
    query: 'Read the text of three source files at once',
    expect: ['filesystem_read_multiple_files', 'desktop_commander_read_multiple_files'],
  },
  // terminal
  { query: 'Run a shell command like npm test in a terminal session', expect: 'desktop_commander_start_process' },
  { query: 'Kill the process with pid 4242', expect: 'desktop_commander_kill_process' },
  { query: 'Show the running processes with their CPU and memory usage', expect: 'desktop_commander_list_processes' },
  { query: 'Generate a PDF document from markdown text', expect: 'desktop_commander_write_pdf' },
  { query: 'Send more input to the Python REPL I started earlier', expect: 'desktop_commander_interact_with_process' },
  { query: 'Get the output a long-running command has printed so far', expect: 'desktop_commander_read_process_output' },
  // browsers, named
  { query: 'Go to https://example.com in the Puppeteer browser', expect: 'puppeteer_puppeteer_navigate' },
  { query: 'Capture an image of the current page with Puppeteer', expect: 'puppeteer_puppeteer_screenshot' },
  { query: 'Run a JavaScript snippet in the page using puppeteer', expect: 'puppeteer_puppeteer_evaluate' },
  { query: 'With Playwright, open the login page URL', expect: 'playwright_browser_navigate' },
  { query: 'Using Playwright, enter text into the search box', expect: 'playwright_browser_type' },
  { query: 'Go back one page in the Playwright browser history', expect: 'playwright_browser_navigate_back' },
  { query: 'Pick an item from a dropdown with Playwright', expect: 'playwright_browser_select_option' },
  { query: 'List the open tabs of the Playwright browser', expect: 'playwright_browser_tabs' },
  { query: 'Get the accessibility tree of the current page via Playwright', expect: 'playwright_browser_snapshot' },
  { query: 'Profile how fast the page loads in Chrome DevTools', expect: 'chrome_devtools_performance_start_trace' },
  { query: 'Score the web page for accessibility and SEO problems', expect: 'chrome_devtools_lighthouse_audit' },
  { query: 'Inspect the failed XHR calls the page made, in Chrome DevTools', expect: 'chrome_devtools_list_network_requests' },
  { query: 'Capture a JavaScript memory dump of the page to look for a leak', expect: 'chrome_devtools_take_heapsnapshot' },
  { query: 'Make the Chrome tab pretend to be a mobile phone on a slow 3G network', expect: 'chrome_devtools_emulate' },
  { query: 'Record a video of what happens on the page in Chrome', expect: 'chrome_devtools_screencast_start' },
  { query: 'Show the computed CSS rules for the header element', expect: 'chrome_devtools_get_css_styles' },
  // browsers, any
  {
    query: 'Accept the JavaScript alert popup that appeared in the browser',
    expect: ['chrome_devtools_handle_dialog', 'playwright_browser_handle_dialog'],
  },
  {
    query: 'Show what the page logged to the browser console',
    expect: ['chrome_devtools_list_console_messages', 'playwright_browser_console_messages'],
  },
  { query: 'Click the Submit button on the web page', expect: BROWSER_CLICK },
  { query: 'Move the mouse over the navigation menu so it expands', expect: BROWSER_HOVER },
  { query: 'Take a picture of what the browser is currently showing', expect: BROWSER_SHOT },
  { query: 'Drag a card from one column to another on the page', expect: ['playwright_browser_drag', 'chrome_devtools_drag'] },
  {
    query: 'Fill in name, email and password on the signup form in one step',
    expect: ['playwright_browser_fill_form', 'chrome_devtools_fill_form'],
  },
  // web search
  { query: 'Search the internet for the latest news about the Mars rover', expect: WEB_SEARCH },
  { query: 'Find coffee shops near Union Square using Brave', expect: 'brave_brave_local_search' },
  { query: 'Get the content of a list of article URLs as markdown with Tavily', expect: 'tavily_tavily_extract' },
  { query: 'Discover all page URLs of docs.example.com, like a sitemap', expect: 'tavily_tavily_map' },
  { query: 'Spider a website a few levels deep and pull the text of each page', expect: 'tavily_tavily_crawl' },
  { query: 'Produce an in-depth multi-source research report on battery recycling', expect: 'tavily_tavily_research' },
  { query: 'Fetch a single web page as clean markdown via Exa', expect: 'exa_web_fetch_exa' },
  // maps
  { query: 'What are the latitude and longitude of 10 Downing Street?', expect: 'maps_maps_geocode' },
  { query: 'What street address is at 48.8584, 2.2945?', expect: 'maps_maps_reverse_geocode' },
  { query: 'How long does it take to drive from Boston to New York, and from Boston to Albany?', expect: 'maps_maps_distance_matrix' },
  { query: 'Give me a turn-by-turn route from the airport to my hotel', expect: 'maps_maps_directions' },
  { query: 'How high above sea level is Denver?', expect: 'maps_maps_elevation' },
  { query: 'Opening hours and reviews of a particular restaurant on Google Maps', expect: 'maps_maps_place_details' },
  // databases
  { query: 'Run a SELECT statement against the Postgres database', expect: 'postgres_query' },
  { query: 'Look up documents in a MongoDB collection where status is active', expect: 'mongodb_find' },
  { query: 'Compute totals per customer with a MongoDB pipeline', expect: 'mongodb_aggregate' },
  { query: 'How many documents are in the orders collection?', expect: 'mongodb_count' },
  { query: 'Add an index on the email field of the users collection', expect: 'mongodb_create-index' },
  { query: 'Show the inferred field types of a MongoDB collection', expect: 'mongodb_collection-schema' },
  { query: 'Which databases exist on the Mongo server?', expect: 'mongodb_list-databases' },
  { query: 'Remove every document older than 2020 from the events collection', expect: 'mongodb_delete-many' },
  { query: 'See the query plan MongoDB chose for a find', expect: 'mongodb_explain' },
  // Airtable
  { query: 'Add a row to my Airtable table of leads', expect: 'airtable_create_record' },
  { query: 'Which Airtable bases can I see?', expect: 'airtable_list_bases' },
  { query: 'Attach a PDF to a record in Airtable', expect: 'airtable_upload_attachment' },
  { query: 'Add a new column to an Airtable table', expect: 'airtable_create_field' },
  // Notion
  { query: 'Create a new page in Notion under my projects page', expect: 'notion_API-post-page' },
  { query: 'Add paragraphs to the end of an existing Notion page', expect: 'notion_API-patch-block-children' },
  { query: 'Find Notion pages whose title mentions roadmap', expect: 'notion_API-post-search' },
  { query: 'Leave a comment on a Notion page', expect: 'notion_API-create-a-comment' },
  { query: "Get a Notion page's content as markdown", expect: 'notion_API-retrieve-page-markdown' },
  { query: 'Who are the members of my Notion workspace?', expect: 'notion_API-get-users' },
  { query: 'Filter rows of a Notion database where Status is Done', expect: 'notion_API-query-data-source' },
  // Stripe
  { query: 'Give a customer their money back for a payment in Stripe', expect: 'stripe_create_refund' },
  { query: 'Add a new customer to Stripe with name and email', expect: 'stripe_create_customer' },
  { query: 'Generate a checkout link customers can pay with in Stripe', expect: 'stripe_create_payment_link' },
  { query: 'How much money is available in my Stripe account?', expect: 'stripe_retrieve_balance' },
  { query: "Stop a customer's recurring Stripe plan", expect: 'stripe_cancel_subscription' },
  { query: 'Make a 20% off discount code in Stripe', expect: 'stripe_create_coupon' },
  { query: 'Respond to a chargeback with evidence in Stripe', expect: 'stripe_update_dispute' },
  { query: 'Send a bill to a customer in Stripe', expect: 'stripe_create_invoice' },
  { query: 'How do I set up webhooks for payments? Search the Stripe docs', expect: 'stripe_search_stripe_documentation' },
  // Kubernetes
  { query: 'Show the pods in the staging namespace', expect: 'kubernetes_kubectl_get' },
  { query: 'Tail the logs of the api pod in Kubernetes', expect: 'kubernetes_kubectl_logs' },
  { query: 'Increase the web deployment to 5 replicas', expect: 'kubernetes_kubectl_scale' },
  { query: 'Deploy a Helm chart for Redis into the cluster', expect: 'kubernetes_install_helm_chart' },
  { query: 'Run a shell command inside a running Kubernetes container', expect: 'kubernetes_exec_in_pod' },
  { query: 'Drain a cluster node before maintenance', expect: 'kubernetes_node_management' },
  { query: 'Make a service in the cluster reachable on localhost:8080', expect: 'kubernetes_port_forward' },
  { query: 'Roll back the last rollout of the web deployment', expect: 'kubernetes_kubectl_rollout' },
  { query: 'Submit this YAML manifest to the Kubernetes cluster', expect: 'kubernetes_kubectl_apply' },
  { query: 'Switch kubectl to the production cluster', expect: 'kubernetes_kubectl_context' },
  // CircleCI
  { query: 'Why did my CircleCI build fail? Get the error output', expect: 'circleci_get_build_failure_logs' },
  { query: 'Which tests in my CircleCI project fail intermittently?', expect: 'circleci_find_flaky_tests' },
  { query: 'Kick off a new CircleCI pipeline on the main branch', expect: 'circleci_run_pipeline' },
  { query: 'Retry the failed CircleCI workflow', expect: 'circleci_rerun_workflow' },
  { query: 'Download the build artifacts of a CircleCI job', expect: 'circleci_list_artifacts' },
  { query: 'Check that my .circleci/config.yml is valid', expect: 'circleci_config_helper' },
  // memory, reasoning, misc
  { query: 'Remember that Alice now leads the platform team (a new fact about a known person)', expect: 'memory_add_observations' },
  { query: 'Record in memory that Alice manages Bob', expect: 'memory_create_relations' },
  { query: 'Dump everything stored in the memory knowledge graph', expect: 'memory_read_graph' },
  { query: 'Search my stored memories for anything about Paris', expect: 'memory_search_nodes' },
  { query: 'Add two numbers together', expect: 'everything_get-sum' },
  { query: "Print the server's environment variables to debug its configuration", expect: 'everything_get-env' },
  { query: 'Compress a file with gzip', expect: 'everything_gzip-file-as-resource' },
  { query: 'Break a hard problem down step by step, revising my reasoning as I go', expect: 'thinking_sequentialthinking' },
];
