#!/usr/bin/env node
import { enableCompileCache } from '../dist/src/cli/compileCache.js';

// Before the rest is imported, so Node ≥ 22.1 compiles it from its cache (src/cli/compileCache.ts).
enableCompileCache();
const { fatalLine, main } = await import('../dist/src/cli/main.js');

// Exit explicitly once output is flushed: libsignal's native threads (e.g. a registration
// session's connection) may still be winding down, and letting Node tear down around them aborts.
function exit(code) {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exit, (err) => {
  process.stderr.write(fatalLine(err));
  exit(1);
});
