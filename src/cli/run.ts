// Entry point for running the CLI from source (`node --import tsx src/cli/run.ts ...`); the
// installed binary bin/vmcp.js does the same from dist/.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
