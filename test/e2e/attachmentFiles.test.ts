// Received attachments as files through a real daemon (issue 18): a 10 MiB attachment from a mock
// contact is served intact and its file is gone once the answer carrying it was written; a crash
// between writing a file and committing it leaves no file behind after the restart, and the
// attachment is downloaded again. docs/reliability.md, "Attachment files".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { accountDbPath } from '../../src/store/dataDirectory.js';
import { inboxFilesDirectory } from '../../src/store/inboxFiles.js';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { receiveAll, startDaemon, waitForLog } from '../support/daemon.js';
import { client } from '../support/lineClient.js';
import { sendAttachment, within } from '../support/contactActions.js';
import { decryptAttachment } from '../../src/signal/attachmentCrypto.js';
import { startJsonRpcDaemon, tcpRpc } from './jsonRpcClient.js';

const filesIn = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);

/** Resolves once `dir` holds no file, checked on each change in it; fails after `timeoutMs`. */
function emptied(dir: string, timeoutMs = 10_000): Promise<void> {
  return until(dir, () => filesIn(dir).length === 0, timeoutMs, () => `${dir} still holds ${filesIn(dir).join(', ')}`);
}

/** Resolves once a file was created in `dir` (which may not exist yet: then its parent is watched). */
function appeared(dir: string, timeoutMs = 20_000): Promise<void> {
  return until(dirname(dir), () => filesIn(dir).length > 0, timeoutMs, () => `nothing appeared in ${dir}`, dir);
}

function until(watched: string, done: () => boolean, timeoutMs: number, failure: () => string, alsoWatch?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const watchers = [watch(watched, () => check())];
    const timer = setTimeout(() => {
      for (const w of watchers) w.close();
      reject(new Error(failure()));
    }, timeoutMs);
    const check = () => {
      if (alsoWatch && watchers.length === 1 && existsSync(alsoWatch)) watchers.push(watch(alsoWatch, () => check()));
      if (!done()) return;
      clearTimeout(timer);
      for (const w of watchers) w.close();
      resolve();
    };
    check();
  });
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('received attachment files', () => {
  let f: LinkedFixture;
  let folder: string;

  before(async () => {
    f = await linkedAccount();
    await f.introduce(f.carol);
    folder = inboxFilesDirectory(accountDbPath(f.dataDir, f.number));
  });
  after(async () => {
    await f?.close();
  });

  it('serves a 10 MiB attachment intact, from a private file that is gone once the answer was written', async () => {
    const daemon = await startDaemon(f);
    const c = await client(daemon.port);
    try {
      const big = randomBytes(10 * 1024 * 1024);
      await sendAttachment(f.network, f.carol, f.device, big, { fileName: 'big.bin', contentType: 'application/octet-stream', body: 'ten MiB' });
      const [message] = (await receiveAll(c, 1, 60_000)) as { body: string; attachments: { size: number; base64Data: string }[] }[];
      assert.equal(message!.body, 'ten MiB');
      assert.equal(message!.attachments[0]!.size, big.length);
      assert.equal(sha(Buffer.from(message!.attachments[0]!.base64Data, 'base64')), sha(big), 'the bytes arrive intact');
      await emptied(folder);
    } finally {
      c.close();
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('keeps the file 0600 in a 0700 folder while its entry is queued', async () => {
    const daemon = await startDaemon(f);
    const c = await client(daemon.port);
    try {
      await sendAttachment(f.network, f.carol, f.device, randomBytes(5000), { fileName: 'small.bin', contentType: 'application/octet-stream' });
      await appeared(folder);
      const [name] = filesIn(folder);
      assert.equal(statSync(folder).mode & 0o777, 0o700);
      assert.equal(statSync(join(folder, name!)).mode & 0o777, 0o600);
      assert.equal((await receiveAll(c, 1)).length, 1);
      await emptied(folder);
    } finally {
      c.close();
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('prints a received attachment with `sigsock receive --json`, read from its file, which is gone afterwards', async () => {
    const data = randomBytes(2 * 1024 * 1024 + 1);
    // The contact's send completes once the receiving device acked it: the CLI below is that device.
    const sending = sendAttachment(f.network, f.carol, f.device, data, { fileName: 'cli.bin', contentType: 'application/octet-stream', body: 'for the cli' });
    const out = await f.run(['receive', '--json', '--timeout', '10'], { timeoutMs: 60_000 });
    await sending;
    assert.equal(out.code, 0, out.stderr);
    const printed = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as { body: string; attachments: { base64Data?: string }[] });
    const message = printed.find((m) => m.body === 'for the cli');
    assert.ok(message, out.stdout.slice(0, 500));
    assert.ok(Buffer.from(message.attachments[0]!.base64Data!, 'base64').equals(data));
    assert.deepEqual(filesIn(folder), []);
  });

  it('leaves no orphan after a crash between writing a file and committing it; the attachment is downloaded again', async () => {
    const held = await startDaemon(f, [], { env: { SIGSOCK_TEST_HOLD_ATTACHMENT_COMMIT: '1' } });
    const data = randomBytes(300_000);
    await sendAttachment(f.network, f.carol, f.device, data, { fileName: 'crash.bin', contentType: 'application/octet-stream', body: 'after the crash' });
    await waitForLog(held, /test hook: attachment file \S+ written, its commit held back/, 30_000);
    const orphan = /test hook: attachment file (\S+) written/.exec(held.stderr())![1]!;
    assert.ok(existsSync(join(folder, orphan)), 'the file was written');
    await held.stop('SIGKILL');

    const daemon = await startDaemon(f);
    const c = await client(daemon.port);
    try {
      assert.equal(existsSync(join(folder, orphan)), false, 'the orphan is removed at start-up');
      const [message] = (await receiveAll(c, 1, 30_000)) as { body: string; attachments: { base64Data: string }[] }[];
      assert.equal(message!.body, 'after the crash');
      assert.ok(Buffer.from(message!.attachments[0]!.base64Data, 'base64').equals(data));
      await emptied(folder);
    } finally {
      c.close();
      assert.equal(await daemon.stop(), 0);
    }
  });
});

describe('attachment files over JSON-RPC', () => {
  let f: LinkedFixture;

  before(async () => {
    f = await linkedAccount();
    await f.introduce(f.carol);
  });
  after(async () => {
    await f?.close();
  });

  it('sends a file named by its path (read while it is encrypted), and a received one becomes a file with an id getAttachment reads', async () => {
    const daemon = await startJsonRpcDaemon(f);
    const c = await tcpRpc(daemon.port);
    try {
      const data = randomBytes(3 * 1024 * 1024 + 7);
      const path = join(f.dataDir, 'outgoing.bin');
      writeFileSync(path, data);
      const sent = await c.call('send', { recipient: f.bob.device.number, message: 'from a file', attachments: [path] }, 60_000);
      assert.equal(sent.result?.results?.[0]?.type, 'SUCCESS', JSON.stringify(sent));
      const msg = await within(f.bob.waitForMessage(), 20_000, 'bob');
      const pointer = msg.dataMessage.attachments![0]!;
      assert.equal(pointer.fileName, 'outgoing.bin');
      const blob = readFileSync(join(f.network.cdn3Path, 'attachments', (pointer.attachmentIdentifier as { cdnKey: string }).cdnKey));
      assert.ok(Buffer.from(decryptAttachment(blob, pointer.key!, pointer.digest!, Number(pointer.size))).equals(data), 'the bytes arrive intact');

      const received = randomBytes(1024 * 1024 + 1);
      await c.call('version');
      await sendAttachment(f.network, f.carol, f.device, received, { fileName: 'in.bin', contentType: 'application/octet-stream', body: 'for json-rpc' });
      const n = await c.notification(30_000);
      const attachment = n.envelope.dataMessage.attachments[0];
      assert.match(attachment.id, /^[0-9a-f]{32}\.bin$/);
      const got = await c.call('getAttachment', { id: attachment.id });
      assert.ok(Buffer.from(got.result.data, 'base64').equals(received));
      await emptied(inboxFilesDirectory(accountDbPath(f.dataDir, f.number)));
    } finally {
      c.socket.destroy();
      assert.equal(await daemon.stop(), 0);
    }
  });
});
