// The CLI's command table loads each command's module on demand (src/cli/commands.ts): the names
// it finds a command by must be the ones that command's module declares.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMAND_ENTRIES, loadCommand } from '../../src/cli/commands.js';

test("each entry's names are its command's name and aliases, and no name is taken twice", async () => {
  const seen = new Set<string>();
  for (const entry of COMMAND_ENTRIES) {
    const command = await entry.load();
    assert.deepEqual(entry.names, [command.name, ...(command.aliases ?? [])]);
    for (const name of entry.names) {
      assert.ok(!seen.has(name), `${name} is listed twice`);
      seen.add(name);
    }
  }
});

test('an unknown name loads nothing', async () => {
  assert.equal(await loadCommand('frob'), undefined);
});
