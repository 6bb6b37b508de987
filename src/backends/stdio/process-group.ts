// Ending a backend process and everything it started: close stdin (MCP servers exit on EOF), then
// SIGTERM the process group, then SIGKILL it. A launcher such as `npx` or a shell wrapper leaves no
// orphaned grandchild behind, however early the backend is closed.
import type { ChildProcess } from 'node:child_process';

const EOF_GRACE_MS = 1500;
const TERM_GRACE_MS = 2000;

export async function endProcessGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  child.stdin?.end();
  if (await settlesWithin(exited, EOF_GRACE_MS)) return signalGroup(child, 'SIGTERM');
  signalGroup(child, 'SIGTERM');
  if (await settlesWithin(exited, TERM_GRACE_MS)) return signalGroup(child, 'SIGKILL');
  signalGroup(child, 'SIGKILL');
  await exited;
}

/** Signal the whole group (negative pid); the leader may be gone while children live on. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

async function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
