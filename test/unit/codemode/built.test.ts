// The sandbox worker is a separate entry file. Tests run from src/ under tsx; the CLI runs the
// JavaScript that `npm run build` emits. This test emits src/ the same way (one .js per .ts,
// side by side) into .cache/ and runs a script through the emitted code in a plain node process,
// so the built worker entry is found and loads without tsx.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { ROOT } from '../../helpers/gateway.js';

const OUT = join(ROOT, '.cache', 'codemode-built');

async function emit(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await emit(path);
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const { outputText } = ts.transpileModule(await readFile(path, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: path,
    });
    const target = join(OUT, relative(join(ROOT, 'src'), path)).replace(/\.ts$/, '.js');
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
}

const PROGRAM = `
import { CodeMode } from './codemode/index.js';
import { resolveCodeMode } from './config/schema-codemode.js';
const codeMode = new CodeMode(resolveCodeMode({ workers: 1 }));
const host = {
  tools: () => [{ name: 'echo', inputSchema: { type: 'object' } }],
  callTool: async (_name, args) => ({ content: [{ type: 'text', text: JSON.stringify(args) }] }),
};
const result = await codeMode.execute({ script: 'return [await tools.echo({ n: data.n }), typeof process]', data: { n: 7 } }, host);
await codeMode.close();
process.stdout.write(result.content[0].text);
`;

it('runs a script through the built JavaScript, worker entry included, without tsx', async () => {
  await rm(OUT, { recursive: true, force: true });
  // codemode/ and the leaves it may import; nothing else of ours is needed to run it.
  for (const dir of ['codemode', 'config', 'errors', 'observability']) await emit(join(ROOT, 'src', dir));
  await writeFile(join(OUT, 'package.json'), '{"type":"module"}');
  await writeFile(join(OUT, 'program.js'), PROGRAM);
  const { stdout } = await promisify(execFile)(process.execPath, [join(OUT, 'program.js')], { cwd: OUT, timeout: 60_000 });
  assert.deepEqual(JSON.parse(stdout), [{ n: 7 }, 'undefined']);
});
