// Issue 15, sending (continued): account A sends B a sticker, a view-once photo and a link preview,
// through the socket and then the CLI; B's client sees each part with its image, byte for byte, on
// one sandbox network.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  entryFrom,
  send,
  twoSandboxAccounts,
  type TwoAccounts,
} from "../support/sandboxAccounts.js";
import { client } from "../support/lineClient.js";
import { withTempDir } from "../support/tempDir.js";

const PACK_ID = "ab".repeat(16);
const PACK_KEY = "cd".repeat(32);
const bytesOf = (attachment: { base64Data: string }) =>
  Buffer.from(attachment.base64Data, "base64");

describe("stickers, view-once and link previews between two sigsock accounts", () => {
  let accounts: TwoAccounts;
  const alice = { number: "+15005553101", aci: "" };
  const bob = { number: "+15005553102", aci: "" };

  before(async () => {
    accounts = await twoSandboxAccounts([alice.number, bob.number], "parts");
    alice.aci = accounts.alice.aci;
    bob.aci = accounts.bob.aci;
  });
  after(() => accounts?.close());

  it("through the socket, then the CLI: B sees the parts with their images", async () => {
    const aliceDaemon = await accounts.daemonFor(alice.number);
    const bobDaemon = await accounts.daemonFor(bob.number);
    const a = await client(aliceDaemon.port);
    const b = await client(bobDaemon.port);
    const stickerImage = Buffer.from("RIFF-sticker-webp");
    const photo = Buffer.from("a photo to see once");
    const pageImage = Buffer.from("a page image");
    const base64 = (data: Buffer, contentType: string) => ({
      base64Data: data.toString("base64"),
      contentType,
    });
    try {
      const sticker = await send(a, {
        recipient: bob.aci,
        dataMessage: {
          sticker: {
            packId: PACK_ID,
            packKey: PACK_KEY,
            stickerId: 3,
            emoji: "🐱",
            image: base64(stickerImage, "image/webp"),
          },
        },
      });
      const once = await send(a, {
        recipient: bob.aci,
        dataMessage: {
          attachments: [base64(photo, "image/jpeg")],
          viewOnce: true,
        },
      });
      const linked = await send(a, {
        recipient: bob.aci,
        dataMessage: {
          message: "see https://example.org/p",
          previews: [
            {
              url: "https://example.org/p",
              title: "P",
              description: "about p",
              image: base64(pageImage, "image/png"),
            },
          ],
        },
      });
      const gotSticker = await entryFrom(b, (e) => e.timestamp === sticker);
      assert.deepEqual([gotSticker.body, gotSticker.attachments], [null, []]);
      assert.deepEqual(
        { ...gotSticker.sticker, attachment: null },
        {
          packId: PACK_ID,
          packKey: PACK_KEY,
          stickerId: 3,
          emoji: "🐱",
          attachment: null,
        },
      );
      assert.deepEqual(bytesOf(gotSticker.sticker.attachment), stickerImage);
      const gotOnce = await entryFrom(b, (e) => e.timestamp === once);
      assert.equal(gotOnce.viewOnce, true);
      assert.deepEqual(bytesOf(gotOnce.attachments[0]), photo);
      const gotLinked = await entryFrom(b, (e) => e.timestamp === linked);
      const [preview] = gotLinked.previews;
      assert.deepEqual(
        [preview.url, preview.title, preview.description],
        ["https://example.org/p", "P", "about p"],
      );
      assert.deepEqual(bytesOf(preview.image), pageImage);

      // Bad input is refused before anything is sent, naming the field.
      const refused = await a.request({
        command: "send_message",
        recipient: bob.aci,
        dataMessage: {
          message: "no link here",
          previews: [{ url: "https://example.org/p" }],
        },
      });
      assert.match(
        String(refused.errorMessage),
        /dataMessage\.previews\[0\]\.url must appear in the message text/,
      );
      const noImage = await a.request({
        command: "send_message",
        recipient: bob.aci,
        dataMessage: {
          sticker: { packId: PACK_ID, packKey: PACK_KEY, stickerId: 3 },
        },
      });
      assert.match(
        String(noImage.errorMessage),
        /dataMessage\.sticker\.image is missing/,
      );

      // The same through A's CLI (the daemon holds the account: stop it first).
      a.close();
      assert.equal(await aliceDaemon.stop(), 0);
      await withTempDir("sigsock-parts-", async (dir) => {
        const files = {
          sticker: join(dir, "s.webp"),
          photo: join(dir, "p.jpg"),
          page: join(dir, "page.png"),
        };
        writeFileSync(files.sticker, stickerImage);
        writeFileSync(files.photo, photo);
        writeFileSync(files.page, pageImage);
        const cli = async (...args: string[]) => {
          const run = await accounts.run(alice.number, args);
          assert.equal(run.code, 0, `${args.join(" ")}: ${run.stderr}`);
          return Number(run.stdout.trim());
        };
        const cliSticker = await cli(
          "send",
          "--sticker",
          `${PACK_ID}:${PACK_KEY}:4`,
          "--sticker-image",
          files.sticker,
          bob.aci,
        );
        const cliOnce = await cli(
          "send",
          "--attachment",
          files.photo,
          "--view-once",
          bob.aci,
        );
        const cliLinked = await cli(
          "send",
          "-m",
          "https://example.org/q",
          "--preview-url",
          "https://example.org/q",
          "--preview-title",
          "Q",
          "--preview-image",
          files.page,
          bob.aci,
        );
        const s = await entryFrom(b, (e) => e.timestamp === cliSticker);
        assert.deepEqual(
          [
            s.sticker.stickerId,
            s.sticker.attachment.filename,
            bytesOf(s.sticker.attachment),
          ],
          [4, "s.webp", stickerImage],
        );
        assert.equal(
          (await entryFrom(b, (e) => e.timestamp === cliOnce)).viewOnce,
          true,
        );
        const q = (await entryFrom(b, (e) => e.timestamp === cliLinked))
          .previews[0];
        assert.deepEqual(
          [q.url, q.title, q.description, bytesOf(q.image)],
          ["https://example.org/q", "Q", null, pageImage],
        );
        const oldNotation = await accounts.run(alice.number, [
          "send",
          "--sticker",
          `${PACK_ID}:4`,
          "--sticker-image",
          files.sticker,
          bob.aci,
        ]);
        assert.equal(oldNotation.code, 2);
        assert.match(
          oldNotation.stderr,
          /sigsock keeps no sticker packs: add the pack key/,
        );
      });
    } finally {
      b.close();
      assert.equal(await bobDaemon.stop(), 0);
    }
  });
});
