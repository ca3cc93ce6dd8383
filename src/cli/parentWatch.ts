// `npx sigsock …` runs sigsock under `npm exec` (and a `sh -c` between them). A supervisor or test
// harness that stops the npx process stops npm only, and sigsock would run on orphaned. Node has no
// PR_SET_PDEATHSIG, so a cheap periodic check notices the launcher is gone instead.
import { readFileSync } from 'node:fs';

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh']);
const CHECK_INTERVAL_MS = 1000;

/** Whether this process was started by `npm exec`/`npx`: npm marks its children's environment. */
export function startedThroughNpx(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.npm_command === 'exec';
}

/**
 * Calls `onGone` once when the parent exits, or, if the parent is a shell, the process that started
 * the shell (npm). Returns a function that stops watching. The timer never keeps Node alive.
 */
export function watchLauncher(onGone: () => void): () => void {
  const parent = process.ppid;
  const launcher = shellParent(parent);
  const timer = setInterval(() => {
    if (process.ppid !== parent || (launcher !== undefined && !isAlive(launcher))) {
      clearInterval(timer);
      onGone();
    }
  }, CHECK_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** The parent of `pid` when `pid` is a shell (Linux /proc; elsewhere only the parent is watched). */
function shellParent(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "PID (COMM) STATE PPID …"; COMM may hold spaces and parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    return SHELLS.has(comm) && ppid > 1 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
