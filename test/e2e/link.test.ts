// Issue 2's smoke path through the real CLI: link, receive (sealed and unsealed, offline
// delivery), send with sync transcript, the account lock, and state surviving a restart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { accountDbPath } from '../../src/store/dataDirectory.js';
import { recordedOwner } from '../../src/store/lock.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { globalArgs, linkedAccount, runCli, type LinkedFixture } from '../support/harness.js';
import { startDaemon } from '../support/daemon.js';
import { client } from '../support/lineClient.js';

describe('link, receive and send through the CLI', () => {
  let f: LinkedFixture;
  before(async () => {
    f = await linkedAccount();
  });
  after(async () => {
    await f?.close();
  });

  it('prints the account number and stores it (link)', () => {
    assert.match(f.number, /^\+\d+$/);
  });

  it('receives unsealed and sealed texts, including ones sent while offline', async () => {
    await f.introduce(f.bob);
    // The mock resolves a send only once our device acked it, so these finish during `receive`.
    const sent = (async () => {
      await f.bob.sendText(f.device, 'hello unsealed');
      await f.bob.sendText(f.device, 'hello sealed', { sealed: true });
    })();
    const res = await f.run(['receive', '--json', '--timeout', '3']);
    await sent;
    assert.equal(res.code, 0, res.stderr);
    const entries = res.stdout.trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(
      entries.map((e) => e.body),
      ['hello unsealed', 'hello sealed'],
    );
    for (const e of entries) {
      assert.equal(e.senderUuid, f.bob.device.aci);
      assert.equal(e.sender, f.bob.device.number);
      assert.equal(typeof e.timestamp, 'number');
    }
    const again = await f.run(['receive', '--json', '--timeout', '1']);
    assert.equal(again.stdout, '', 'entries are removed once printed');
  });

  it('sends a text that reaches the contact, and a sync transcript to the phone', async () => {
    const syncSeen = f.phone.waitForSyncMessage((e) => Boolean(e.syncMessage.content?.sent));
    const res = await f.run(['send', '-m', 'hi bob', f.bob.device.number!]);
    assert.equal(res.code, 0, res.stderr);
    const timestamp = Number(res.stdout.trim());
    assert.ok(timestamp > 0);
    const msg = await f.bob.waitForMessage();
    assert.equal(msg.body, 'hi bob');
    assert.equal(Number(msg.dataMessage.timestamp), timestamp);
    const sync = await syncSeen;
    assert.equal(sync.syncMessage.content?.sent?.message?.body, 'hi bob');
  });

  it('keeps sessions across restarts: a second send fetches no prekeys', async () => {
    const before = await f.bob.device.getPreKeyCount();
    const res = await f.run(['send', '-m', 'second', f.bob.device.number!]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal((await f.bob.waitForMessage()).body, 'second');
    assert.equal(await f.bob.device.getPreKeyCount(), before);
  });

  it('refills one-time prekeys when the server runs low', async () => {
    const before = await f.device.getPreKeyCount();
    for (let i = 0; i < before - 3; i++) await f.device.popSingleUseKey();
    assert.ok((await f.device.getPreKeyCount()) < 10);
    const res = await f.run(['receive', '--timeout', '2']);
    assert.equal(res.code, 0, res.stderr);
    assert.ok((await f.device.getPreKeyCount()) >= 10, 'the daemon uploaded new keys');
  });

  it('refuses a second process on the same account with a clear error', async () => {
    const holder = f.spawn(['receive', '--timeout', '5']);
    try {
      const lock = `${accountDbPath(f.dataDir, f.number)}.lock`;
      // The lock file outlives its owners; the holder has the lock once it wrote its pid there.
      while (recordedOwner(lock) !== holder.pid) await new Promise((r) => setTimeout(r, 20));
      const res = await f.run(['send', '-m', 'x', f.bob.device.number!]);
      assert.notEqual(res.code, 0);
      assert.match(res.stderr, /in use by another sigsock process/);
    } finally {
      holder.kill('SIGTERM');
      await new Promise((r) => holder.once('close', r));
    }
  });

  it('says clearly when a number is not on Signal', async () => {
    const res = await f.run(['send', '-m', 'x', '+15550000000']);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /\+15550000000 is not on Signal/);
  });

  it('ends linking cleanly with a clear message when nobody scans the code in time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigsock-unlinked-'));
    try {
      const res = await runCli([...globalArgs(dir, f.serverFile), 'link', '--timeout', '1']);
      assert.equal(res.code, 1);
      assert.match(res.stdout, /^sgnl:\/\/linkdevice\?uuid=/);
      assert.match(res.stderr, /linking timed out after 1 s/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains every command with --help', async () => {
    const main = await runCli(['--help']);
    assert.equal(main.code, 0);
    for (const command of ['sandbox', 'link', 'register', 'verify', 'socket', 'send', 'receive', 'trust', 'listIdentities', 'listAccounts', 'updateProfile']) {
      assert.match(main.stdout, new RegExp(`\\b${command}\\b`));
      const help = await runCli([command, '--help']);
      assert.equal(help.code, 0, help.stderr);
      assert.match(help.stdout, new RegExp(`^Usage: sigsock .*${command}`, 'm'));
    }
    const bad = await runCli(['send', '--bogus']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bogus/);
  });

  // Last: it unlinks the account's device. The mock then accepts the chat WebSocket and closes it
  // at once (Signal's servers refuse the upgrade, which the daemon treats as final).
  it('a device the server drops right after every connect: the daemon backs off instead of spinning, and sends fail clearly', async () => {
    // An overloaded server can accept a connection and close it at once. (A removed device is
    // refused at the upgrade instead, as Signal-Server does: devices.test.ts.)
    const dropping = f.network.dropOnAccept(f.device);
    const daemon = await startDaemon(f);
    try {
      const c = await client(daemon.port);
      const res = await c.request({ command: 'send_message', recipient: f.bob.device.aci, dataMessage: { message: 'anyone?' } }, 30_000);
      assert.equal(res.statusCode, -1);
      assert.match(String(res.errorMessage), /Signal server/);
      c.close();
      await new Promise((r) => setTimeout(r, 3_000));
      const connects = (daemon.stderr().match(/\bchat: connected/g) ?? []).length;
      assert.ok(connects >= 2 && connects <= 10, `${connects} chat connections in about 3 s after the send failed:\n${daemon.stderr()}`);
    } finally {
      dropping.restore();
      assert.equal(await daemon.stop(), 0);
    }
  });
});
