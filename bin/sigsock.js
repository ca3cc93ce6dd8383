#!/usr/bin/env node
import { fatalLine, main } from '../dist/src/cli/main.js';

// Exit explicitly once output is flushed: libsignal's native threads (e.g. a registration
// session's connection) may still be winding down, and letting Node tear down around them aborts.
function exit(code) {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

main(process.argv.slice(2)).then(exit, (err) => {
  process.stderr.write(fatalLine(err));
  exit(1);
});
