// Issue 15, sending (continued): account A sends B a sticker, a view-once photo and a link preview,
// through the socket and then the CLI; B's client sees each part with its image, byte for byte, on
// one sandbox network. A sets a disappearing-message timer; B's next message back carries it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Daemon } from '../support/daemon.js';
import { client, type LineClient } from '../support/lineClient.js';
import { entryFrom, send, twoSandboxAccounts, type TwoAccounts } from '../support/sandboxAccounts.js';
import { withTempDir } from '../support/tempDir.js';

const PACK_ID = 'ab'.repeat(16);
const PACK_KEY = 'cd'.repeat(32);
const bytesOf = (attachment: { base64Data: string }) => Buffer.from(attachment.base64Data, 'base64');
const base64 = (data: Buffer, contentType: string) => ({ base64Data: data.toString('base64'), contentType });

describe('stickers, view-once, link previews and timers between two sigsock accounts', () => {
  let accounts: TwoAccounts;
  const alice = { number: '+15005553101', aci: '' };
  const bob = { number: '+15005553102', aci: '' };

  before(async () => {
    accounts = await twoSandboxAccounts([alice.number, bob.number], 'parts');
    alice.aci = accounts.alice.aci;
    bob.aci = accounts.bob.aci;
  });
  after(() => accounts?.close());

  /** A's daemon and client, which a test stops to use A's CLI and may start again. */
  const aliceSide = () => {
    let daemon: Daemon | null = null;
    let c: LineClient | null = null;
    return {
      start: async () => {
        daemon = await accounts.daemonFor(alice.number);
        c = await client(daemon.port);
        return c;
      },
      stop: async () => {
        c?.close();
        c = null;
        const stopping = daemon;
        daemon = null;
        if (stopping) assert.equal(await stopping.stop(), 0);
      },
    };
  };

  it('through the socket, then the CLI: B sees the parts with their images', async () => {
    const aliceNow = aliceSide();
    const a = await aliceNow.start();
    const bobDaemon = await accounts.daemonFor(bob.number);
    const b = await client(bobDaemon.port);
    const stickerImage = Buffer.from('RIFF-sticker-webp');
    const photo = Buffer.from('a photo to see once');
    const pageImage = Buffer.from('a page image');
    try {
      const sticker = await send(a, {
        recipient: bob.aci,
        dataMessage: { sticker: { packId: PACK_ID, packKey: PACK_KEY, stickerId: 3, emoji: '🐱', image: base64(stickerImage, 'image/webp') } },
      });
      const once = await send(a, { recipient: bob.aci, dataMessage: { attachments: [base64(photo, 'image/jpeg')], viewOnce: true } });
      const linked = await send(a, {
        recipient: bob.aci,
        dataMessage: {
          message: 'see https://example.org/p',
          previews: [{ url: 'https://example.org/p', title: 'P', description: 'about p', image: base64(pageImage, 'image/png') }],
        },
      });
      const gotSticker = await entryFrom(b, (e) => e.timestamp === sticker);
      assert.deepEqual([gotSticker.body, gotSticker.attachments], [null, []]);
      assert.deepEqual({ ...gotSticker.sticker, attachment: null }, { packId: PACK_ID, packKey: PACK_KEY, stickerId: 3, emoji: '🐱', attachment: null });
      assert.deepEqual(bytesOf(gotSticker.sticker.attachment), stickerImage);
      const gotOnce = await entryFrom(b, (e) => e.timestamp === once);
      assert.equal(gotOnce.viewOnce, true);
      assert.deepEqual(bytesOf(gotOnce.attachments[0]), photo);
      const [preview] = (await entryFrom(b, (e) => e.timestamp === linked)).previews;
      assert.deepEqual([preview.url, preview.title, preview.description, bytesOf(preview.image)], ['https://example.org/p', 'P', 'about p', pageImage]);

      // Bad input is refused before anything is sent, naming the field.
      const noLink = await a.request({ command: 'send_message', recipient: bob.aci, dataMessage: { message: 'no link here', previews: [{ url: 'https://example.org/p' }] } });
      assert.match(String(noLink.errorMessage), /dataMessage\.previews\[0\]\.url must appear in the message text/);
      const noImage = await a.request({ command: 'send_message', recipient: bob.aci, dataMessage: { sticker: { packId: PACK_ID, packKey: PACK_KEY, stickerId: 3 } } });
      assert.match(String(noImage.errorMessage), /dataMessage\.sticker\.image is missing/);

      // The same through A's CLI (the daemon holds the account: stop it first).
      await aliceNow.stop();
      await withTempDir('sigsock-parts-', async (dir) => {
        const files = { sticker: join(dir, 's.webp'), photo: join(dir, 'p.jpg'), page: join(dir, 'page.png') };
        writeFileSync(files.sticker, stickerImage);
        writeFileSync(files.photo, photo);
        writeFileSync(files.page, pageImage);
        const cli = async (...args: string[]) => {
          const run = await accounts.run(alice.number, args);
          assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
          return Number(run.stdout.trim());
        };
        const cliSticker = await cli('send', '--sticker', `${PACK_ID}:${PACK_KEY}:4`, '--sticker-image', files.sticker, bob.aci);
        const cliOnce = await cli('send', '--attachment', files.photo, '--view-once', bob.aci);
        const cliLinked = await cli('send', '-m', 'https://example.org/q', '--preview-url', 'https://example.org/q', '--preview-title', 'Q', '--preview-image', files.page, bob.aci);
        const s = await entryFrom(b, (e) => e.timestamp === cliSticker);
        assert.deepEqual([s.sticker.stickerId, s.sticker.attachment.filename, bytesOf(s.sticker.attachment)], [4, 's.webp', stickerImage]);
        assert.equal((await entryFrom(b, (e) => e.timestamp === cliOnce)).viewOnce, true);
        const q = (await entryFrom(b, (e) => e.timestamp === cliLinked)).previews[0];
        assert.deepEqual([q.url, q.title, q.description, bytesOf(q.image)], ['https://example.org/q', 'Q', null, pageImage]);
        const oldNotation = await accounts.run(alice.number, ['send', '--sticker', `${PACK_ID}:4`, '--sticker-image', files.sticker, bob.aci]);
        assert.equal(oldNotation.code, 2);
        assert.match(oldNotation.stderr, /sigsock keeps no sticker packs: add the pack key/);
      });
    } finally {
      b.close();
      await aliceNow.stop();
      assert.equal(await bobDaemon.stop(), 0);
    }
  });

  it('A sets a timer (set_expiration, then updateContact -e): B sees the change, and its messages back carry the timer', async () => {
    const aliceNow = aliceSide();
    let a = await aliceNow.start();
    const bobDaemon = await accounts.daemonFor(bob.number);
    const b = await client(bobDaemon.port);
    try {
      const set = await send(a, { command: 'set_expiration', recipient: bob.aci, expiration: 3600 });
      const change = await entryFrom(b, (e) => e.timestamp === set);
      assert.deepEqual([change.senderUuid, change.isExpirationUpdate, change.expiresInSeconds], [alice.aci, true, 3600]);
      const answer = await send(b, { recipient: alice.aci, dataMessage: { message: 'noted' } });
      assert.equal((await entryFrom(a, (e) => e.timestamp === answer)).expiresInSeconds, 3600);
      // A's own messages carry it too.
      const next = await send(a, { recipient: bob.aci, dataMessage: { message: 'this one disappears' } });
      assert.equal((await entryFrom(b, (e) => e.timestamp === next)).expiresInSeconds, 3600);
      const refused = await a.request({ command: 'set_expiration', recipient: bob.aci, expiration: -1 });
      assert.match(String(refused.errorMessage), /expiration must be the timer in whole seconds/);

      await aliceNow.stop();
      const run = await accounts.run(alice.number, ['updateContact', '-e', '0', bob.aci]);
      assert.equal(run.code, 0, run.stderr);
      const off = Number(run.stdout.trim());
      const turnedOff = await entryFrom(b, (e) => e.timestamp === off);
      assert.deepEqual([turnedOff.isExpirationUpdate, turnedOff.expiresInSeconds], [true, 0]);
      const plain = await send(b, { recipient: alice.aci, dataMessage: { message: 'no timer now' } });
      a = await aliceNow.start();
      assert.equal('expiresInSeconds' in (await entryFrom(a, (e) => e.timestamp === plain)), false);
    } finally {
      b.close();
      await aliceNow.stop();
      assert.equal(await bobDaemon.stop(), 0);
    }
  });
});
