// A full disk through the real daemon and socket: receiving pauses without acknowledging (the
// server keeps the messages), sends answer "disk full", queued messages are still served, the
// daemon keeps running and resumes by itself when space returns, and nothing arrives twice —
// not even after a restart. The disk is filled by the daemon's test hook (src/store/testDiskFull.ts):
// SQLite's own SQLITE_FULL for every write, as on a full file system.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { receiveAll, startDaemon, waitForLog, type Daemon } from '../support/daemon.js';
import { client } from '../support/lineClient.js';
import { within } from '../support/contactActions.js';

/** The daemon with the test hook on: the database is full while `flagFile` exists. */
async function startDaemonWithDiskHook(f: LinkedFixture, flagFile: string): Promise<Daemon> {
  const before = process.env.SIGSOCK_TEST_DISK_FULL_FILE;
  process.env.SIGSOCK_TEST_DISK_FULL_FILE = flagFile;
  try {
    return await startDaemon(f);
  } finally {
    if (before === undefined) delete process.env.SIGSOCK_TEST_DISK_FULL_FILE;
    else process.env.SIGSOCK_TEST_DISK_FULL_FILE = before;
  }
}

function bodies(messages: Record<string, unknown>[]): unknown[] {
  return messages.map((m) => m.body);
}

describe('disk full', () => {
  let f: LinkedFixture;
  beforeEach(async () => {
    f = await linkedAccount();
  });
  afterEach(async () => {
    await f?.close();
  });

  it('loses nothing, answers sends with "disk full", serves the queue, resumes by itself, and repeats nothing', async () => {
    const flagFile = join(f.dataDir, 'test-disk-full');
    const bobNumber = f.bob.device.number!;
    await f.introduce(f.bob);
    const daemon = await startDaemonWithDiskHook(f, flagFile);
    const c = await client(daemon.port);

    // Stored before the disk fills: sendText resolves once the daemon acknowledged, i.e. committed.
    for (let i = 0; i < 3; i++) await f.bob.sendText(f.device, `before-${i}`);

    writeFileSync(flagFile, '');
    await waitForLog(daemon, /test disk-full hook: the database is full/);

    // What is queued is still served; deleting it fails, which must not end the daemon.
    const queued = await c.request({ command: 'receive_messages', timeout: 5000 });
    assert.equal(queued.statusCode, 0, JSON.stringify(queued));
    assert.deepEqual(bodies(queued.messages as Record<string, unknown>[]), ['before-0', 'before-1', 'before-2']);
    await waitForLog(daemon, /inbox: delivered messages could not be deleted \(disk full/);

    // Bob writes while the disk is full: not acknowledged, so the server keeps it.
    const bobWrites = (async () => {
      for (let i = 0; i < 3; i++) await f.bob.sendText(f.device, `during-${i}`);
    })();
    await waitForLog(daemon, /receive: paused: disk full/);

    const refused = await c.request({ command: 'send_message', recipient: bobNumber, dataMessage: { message: 'while full' } });
    assert.equal(refused.statusCode, -1, JSON.stringify(refused));
    assert.match(String(refused.errorMessage), /^disk full: nothing was sent to .*; free space in /);
    assert.doesNotMatch(String(refused.errorMessage), /cannot rollback/);

    // The entries whose delete failed are not handed out again; Bob's new ones are not stored yet.
    const meanwhile = await c.request({ command: 'receive_messages', timeout: 300 });
    assert.deepEqual(meanwhile.messages, []);
    assert.equal(daemon.process.exitCode, null, 'the daemon keeps running');

    rmSync(flagFile);
    await waitForLog(daemon, /test disk-full hook: the database is writable again/);
    await waitForLog(daemon, /receive: resumed: disk space is available again/);
    await within(bobWrites, 20_000, "Bob's messages to be acknowledged once stored");
    await waitForLog(daemon, /inbox: the delivered messages are deleted now/);

    assert.deepEqual(bodies(await receiveAll(c, 3)), ['during-0', 'during-1', 'during-2']);
    const sent = await c.request({ command: 'send_message', recipient: bobNumber, dataMessage: { message: 'after' } });
    assert.equal(sent.statusCode, 0, JSON.stringify(sent));
    assert.equal((await within(f.bob.waitForMessage(), 20_000, 'Bob to receive')).body, 'after');
    c.close();
    assert.equal(await daemon.stop(), 0);

    // A restart repeats nothing: no received message comes again, no sent one goes again.
    const restarted = await startDaemon(f);
    const c2 = await client(restarted.port);
    // Bob's marker comes after anything the server could hand out again, so it is the only message
    // only if nothing came again.
    await f.bob.sendText(f.device, 'marker after restart');
    assert.deepEqual(bodies(await receiveAll(c2, 1)), ['marker after restart']);
    const last = await c2.request({ command: 'send_message', recipient: bobNumber, dataMessage: { message: 'after restart' } });
    assert.equal(last.statusCode, 0, JSON.stringify(last));
    assert.equal((await within(f.bob.waitForMessage(), 20_000, 'Bob to receive')).body, 'after restart');
    assert.equal(f.bob.getMessageQueueSize(), 0, 'Bob got nothing else');
    c2.close();
    assert.equal(await restarted.stop(), 0);
    assert.doesNotMatch(daemon.stderr() + restarted.stderr(), /cannot rollback/);
  });

  it('stops promptly while paused, and the message the server kept arrives once after the restart', async () => {
    const flagFile = join(f.dataDir, 'test-disk-full');
    await f.introduce(f.bob);
    const daemon = await startDaemonWithDiskHook(f, flagFile);
    writeFileSync(flagFile, '');
    await waitForLog(daemon, /test disk-full hook: the database is full/);
    const bobWrites = f.bob.sendText(f.device, 'kept by the server');
    await waitForLog(daemon, /receive: paused: disk full/);
    assert.equal(await within(daemon.stop(), 10_000, 'the daemon to stop while paused'), 0);

    rmSync(flagFile);
    const restarted = await startDaemon(f);
    const c = await client(restarted.port);
    await within(bobWrites, 20_000, "Bob's message to be acknowledged by the restarted daemon");
    assert.deepEqual(bodies(await receiveAll(c, 1)), ['kept by the server']);
    // Once: Bob's later marker is the next message, so nothing came again before it.
    await f.bob.sendText(f.device, 'marker');
    assert.deepEqual(bodies(await receiveAll(c, 1)), ['marker']);
    c.close();
    assert.equal(await restarted.stop(), 0);
  });
});
