// Preloaded into a gateway under measurement (`node --import bench/lib/heap-probe.mjs …`): on
// SIGUSR2 it collects garbage twice and writes the heap in use to <tmpdir>/vmcp-heap-<pid>, so the
// bench reads the gateway's own heap without a debugger.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const file = path.join(os.tmpdir(), `vmcp-heap-${process.pid}`);
process.on('SIGUSR2', () => {
  gc();
  gc();
  fs.writeFileSync(file, String(process.memoryUsage().heapUsed));
});
