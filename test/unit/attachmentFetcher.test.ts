// How received attachments ride out network trouble: transient failures are retried with backoff
// inside a window, permanent ones fail at once, and stopping cuts a wait short without failing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AttachmentFetcher, inMemory, type RetryPolicy } from '../../src/messenger/attachmentFetcher.js';
import { encodeAttachmentPointer } from '../../src/proto/index.js';
import { encryptAttachment } from '../../src/signal/attachmentCrypto.js';
import type { HttpsClient, HttpsResponse } from '../../src/signal/https.js';
import type { ServerConfig } from '../../src/signal/serverConfig.js';

const CONFIG = { cdnUrls: { '3': 'https://cdn.invalid' } } as unknown as ServerConfig;
const FAST: RetryPolicy = { windowMs: 2_000, firstDelayMs: 5, maxDelayMs: 20 };
const unusedFile = (): never => {
  throw new Error('this test downloads into memory');
};
const noSink = { pendingAttachments: () => [], createAttachmentFile: unusedFile, completeAttachment: () => {} };

function fixture() {
  const plaintext = randomBytes(3000);
  const encrypted = encryptAttachment(plaintext);
  const pointer = encodeAttachmentPointer({ cdnKey: 'k', cdnNumber: 3, key: encrypted.key, digest: encrypted.digest, size: plaintext.length });
  const ok: HttpsResponse = { status: 200, headers: {}, body: Buffer.from(encrypted.ciphertext) };
  return { plaintext, pointer, ok };
}

function networkError(code: string): Error {
  return Object.assign(new Error(`getaddrinfo ${code} cdn.invalid`), { code });
}

test('network failures are retried until the CDN answers', async () => {
  const { plaintext, pointer, ok } = fixture();
  const failures = [networkError('ENOTFOUND'), networkError('ECONNREFUSED'), null, null];
  let calls = 0;
  const https: HttpsClient = async () => {
    calls++;
    if (calls === 3) return { status: 503, headers: {}, body: Buffer.alloc(0) };
    const failure = failures.shift();
    if (failure) throw failure;
    return ok;
  };
  const fetcher = new AttachmentFetcher(noSink, CONFIG, https, () => {}, () => {}, FAST);
  const result = await fetcher.fetchOne(pointer, inMemory);
  assert.ok(result instanceof Uint8Array, JSON.stringify(result));
  assert.deepEqual(Buffer.from(result), plaintext);
  assert.equal(calls, 4);
});

test('a permanent failure (404, a blob that does not verify) is not retried', async () => {
  const { pointer, ok } = fixture();
  let calls = 0;
  const gone: HttpsClient = async () => {
    calls++;
    return { status: 404, headers: {}, body: Buffer.alloc(0) };
  };
  const result = await new AttachmentFetcher(noSink, CONFIG, gone, () => {}, () => {}, FAST).fetchOne(pointer, inMemory);
  assert.deepEqual(result, { error: 'attachment download failed: HTTP 404' });
  assert.equal(calls, 1);

  const tampered = Buffer.from(ok.body);
  tampered[20] ^= 1;
  const bad = await new AttachmentFetcher(noSink, CONFIG, async () => ({ ...ok, body: tampered }), () => {}, () => {}, FAST).fetchOne(pointer, inMemory);
  assert.match((bad as { error: string }).error, /digest|MAC/);
});

test('a network failure that outlasts the window delivers the error', async () => {
  const { pointer } = fixture();
  let calls = 0;
  const down: HttpsClient = async () => {
    calls++;
    throw networkError('ENOTFOUND');
  };
  const result = await new AttachmentFetcher(noSink, CONFIG, down, () => {}, () => {}, { windowMs: 100, firstDelayMs: 10, maxDelayMs: 20 }).fetchOne(pointer, inMemory);
  assert.match((result as { error: string }).error, /ENOTFOUND/);
  assert.ok(calls >= 3 && calls <= 12, `${calls} attempts in a 100 ms window`);
});

test('stop() ends a retry wait at once and leaves the attachment pending', async () => {
  const { pointer } = fixture();
  const completed: unknown[] = [];
  const sink = {
    pendingAttachments: () => [{ inboxId: 1, idx: 0, pointer }],
    createAttachmentFile: () => ({ write() {}, finish: () => ({ name: 'unused', key: new Uint8Array(32), size: 0 }), discard() {} }),
    completeAttachment: (_id: number, _idx: number, result: unknown) => completed.push(result),
  };
  let attempted!: () => void;
  const firstAttempt = new Promise<void>((r) => (attempted = r));
  const down: HttpsClient = async () => {
    attempted();
    throw networkError('ECONNREFUSED');
  };
  const fetcher = new AttachmentFetcher(sink, CONFIG, down, () => {}, () => {}, { windowMs: 60_000, firstDelayMs: 30_000, maxDelayMs: 30_000 });
  fetcher.kick();
  await firstAttempt;
  const started = Date.now();
  await fetcher.stop();
  assert.ok(Date.now() - started < 1_000, 'stop did not wait out the backoff');
  assert.deepEqual(completed, [], 'not failed: it is downloaded on the next start');
});

test('a download streamed in pieces is decrypted as it arrives; one that does not verify is discarded', async () => {
  const plaintext = randomBytes(200_000);
  const encrypted = encryptAttachment(plaintext);
  const pointer = encodeAttachmentPointer({ cdnKey: 'k', cdnNumber: 3, key: encrypted.key, digest: encrypted.digest, size: plaintext.length });
  const streaming =
    (blob: Uint8Array): HttpsClient =>
    async (req) => {
      // Uneven pieces, as a network delivers them: the iv and the MAC split across pieces.
      for (let at = 0, step = 7; at < blob.length; at += step, step = step * 3 + 1) req.onBodyChunk!(Buffer.from(blob.subarray(at, Math.min(blob.length, at + step))));
      return { status: 200, headers: {}, body: Buffer.alloc(0) };
    };
  const events: string[] = [];
  const target = () => {
    const memory = inMemory();
    return {
      write: (chunk: Uint8Array) => memory.write(chunk),
      finish: () => (events.push('finish'), memory.finish()),
      discard: () => (events.push('discard'), memory.discard()),
    };
  };
  const ok = await new AttachmentFetcher(noSink, CONFIG, streaming(encrypted.ciphertext), () => {}, () => {}, FAST).fetchOne(pointer, target);
  assert.ok(ok instanceof Uint8Array);
  assert.ok(Buffer.from(ok).equals(plaintext));
  const tampered = Buffer.from(encrypted.ciphertext);
  tampered[tampered.length - 40] ^= 1;
  const bad = await new AttachmentFetcher(noSink, CONFIG, streaming(tampered), () => {}, () => {}, FAST).fetchOne(pointer, target);
  assert.match((bad as { error: string }).error, /digest|MAC/);
  assert.deepEqual(events, ['finish', 'discard']);
});

test('a disk with no room for the file leaves the attachment pending, not failed', async () => {
  const { pointer, ok } = fixture();
  const discarded: string[] = [];
  const full = () => ({
    write: () => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
    finish: () => Buffer.alloc(0),
    discard: () => discarded.push('discard'),
  });
  const logged: string[] = [];
  const result = await new AttachmentFetcher(noSink, CONFIG, async () => ok, (line) => logged.push(line), () => {}, FAST).fetchOne(pointer, full);
  assert.equal(result, null);
  assert.deepEqual(discarded, ['discard']);
  assert.match(logged.join('\n'), /disk is full/);
});
