// V8's compiled code of sigsock's modules kept between starts (Node's module compile cache, Node ≥
// 22.1): a start then skips compiling the ~170 modules it loads (docs/benchmarks.md, start-up).
// Node 20 has no such cache: there this does nothing. The cache lives in a directory of this user's
// only (code read from it runs), never in the shared temporary directory Node would pick itself.
import { mkdirSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type EnableCompileCache = (directory?: string) => { status: number; message?: string; directory?: string };

/** The directory for this user: `$XDG_CACHE_HOME/sigsock/compile-cache`, else `~/.cache/sigsock/compile-cache`. */
export function compileCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith('/') ? env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'sigsock', 'compile-cache');
}

/**
 * Turns the cache on where Node has it. `NODE_COMPILE_CACHE` (the service files set it) wins: Node
 * turned the cache on before this ran. A directory that cannot be made (a read-only home under
 * systemd's ProtectHome) leaves the cache off; a start is never refused for it.
 */
export function enableCompileCache(
  env: NodeJS.ProcessEnv = process.env,
  enable = (module as unknown as { enableCompileCache?: EnableCompileCache }).enableCompileCache,
): void {
  if (typeof enable !== 'function' || env.NODE_COMPILE_CACHE || env.NODE_DISABLE_COMPILE_CACHE) return;
  try {
    const directory = compileCacheDirectory(env);
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    enable(directory);
  } catch {
    // No cache: the start only takes longer.
  }
}
