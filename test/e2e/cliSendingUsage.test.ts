// Issue 15, the CLI's sending flags and commands: malformed values are refused before the account
// is opened (exit 2, the flag named as the user wrote it, the usage line after it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/harness.js';

describe('CLI: send extras, remoteDelete, sendTyping, sendReceipt refuse bad input', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigsock-cli-sending-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names the bad flag and exits 2', async () => {
    const to = '+15005550111';
    const cases: [string[], RegExp][] = [
      [['send', '-m', 'hi', '--mention', 'bad', to], /--mention 'bad' is not START:LENGTH:RECIPIENT/],
      [['send', '-m', 'hi', '--mention', '0:5:' + to, to], /--mention\[0\] \(start 0, length 5\) ends past the message text \(2 UTF-16 code units\)/],
      [['send', '-m', 'hi', '--text-style', '0:1:BLINK', to], /--text-style\[0\]\.style must be one of BOLD, ITALIC, SPOILER, STRIKETHROUGH, MONOSPACE/],
      [['send', '-m', 'hi', '--quote-timestamp', '5', to], /a quote needs both --quote-timestamp and --quote-author/],
      [['send', '-m', 'hi', '--edit-timestamp', 'soon', to], /--edit-timestamp must be the positive integer sent timestamp/],
      [['remoteDelete', to], /-t TIMESTAMP must be the positive integer sent timestamp/],
      [['sendTyping'], /none of RECIPIENT and -g GROUP_ID is set/],
      [['sendReceipt', to], /-t TIMESTAMP names no message: give at least one sent timestamp/],
      [['sendReceipt', '-t', '5', '--type', 'delivery', to], /--type must be read or viewed/],
    ];
    for (const [args, message] of cases) {
      const res = await runCli(['--config', dir, '-a', '+15005550100', ...args]);
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, message, args.join(' '));
      assert.match(res.stderr, new RegExp(`^Usage: sigsock -a \\+NUMBER ${args[0]} `, 'm'), args.join(' '));
    }
  });
});
