// Node's module compile cache (src/cli/compileCache.ts, docs/benchmarks.md "start-up"): turned on
// in a directory of this user's only, made 0700; left to NODE_COMPILE_CACHE when that is set; a
// directory that cannot be made leaves it off without failing the start; Node 20 (no such API) skips it.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCacheDirectory, enableCompileCache } from '../../src/cli/compileCache.js';

function withTempDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'sigsock-cc-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('compile cache', () => {
  it('is turned on in $XDG_CACHE_HOME/sigsock/compile-cache, made 0700', () => {
    withTempDir((dir) => {
      const calls: (string | undefined)[] = [];
      enableCompileCache({ XDG_CACHE_HOME: dir }, (directory) => (calls.push(directory), { status: 1 }));
      const expected = join(dir, 'sigsock', 'compile-cache');
      assert.deepEqual(calls, [expected]);
      assert.equal(statSync(expected).mode & 0o777, 0o700);
    });
  });

  it('falls back to ~/.cache when XDG_CACHE_HOME is unset or not absolute', () => {
    assert.match(compileCacheDirectory({}), /\/\.cache\/sigsock\/compile-cache$/);
    assert.match(compileCacheDirectory({ XDG_CACHE_HOME: 'relative' }), /\/\.cache\/sigsock\/compile-cache$/);
  });

  it('leaves the cache to NODE_COMPILE_CACHE (the service files set it), and off with NODE_DISABLE_COMPILE_CACHE', () => {
    const calls: unknown[] = [];
    const enable = (directory?: string) => (calls.push(directory), { status: 1 });
    enableCompileCache({ NODE_COMPILE_CACHE: '/var/cache/sigsock' }, enable);
    enableCompileCache({ NODE_DISABLE_COMPILE_CACHE: '1' }, enable);
    assert.deepEqual(calls, []);
  });

  it('does nothing where Node has no compile cache (Node 20), and a directory it cannot make does not fail the start', () => {
    assert.doesNotThrow(() => enableCompileCache({}, undefined));
    withTempDir((dir) => {
      const file = join(dir, 'not-a-directory');
      writeFileSync(file, '');
      const calls: unknown[] = [];
      assert.doesNotThrow(() => enableCompileCache({ XDG_CACHE_HOME: file }, (d) => (calls.push(d), { status: 1 })));
      assert.deepEqual(calls, []);
    });
  });
});
