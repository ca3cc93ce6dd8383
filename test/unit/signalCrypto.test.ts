// The crypto sigsock writes itself (libsignal has no API for these): content padding, the
// provisioning cipher, device names, attachments — each also checked against what Signal's
// mock server produces, which is what real clients interoperate with.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { PrivateKey } from '@signalapp/libsignal-client';
import { encryptAttachment as mockEncryptAttachment, encryptProvisionMessage as mockEncryptProvision } from '@signalapp/mock-server/src/crypto.js';
import { padContent, paddedLength, unpadContent } from '../../src/util/padding.js';
import { decryptProvisionEnvelope, encryptProvisionMessage } from '../../src/signal/provisioningCipher.js';
import { decryptDeviceName, encryptDeviceName } from '../../src/signal/deviceNameCipher.js';
import { decryptAttachment, decryptAttachmentInPlace,
  AttachmentEncryption, encryptAttachment, paddedAttachmentSize } from '../../src/signal/attachmentCrypto.js';
import { decodeProvisionMessage, encodeProvisionMessage } from '../../src/proto/index.js';
import { decryptProfileField, encodeProfileName, encryptProfileField } from '../../src/signal/profileCipher.js';
import { encryptProfileName as mockEncryptProfileName } from '@signalapp/mock-server/src/crypto.js';

const mockLibsignal = createRequire(import.meta.url)('@signalapp/mock-server/node_modules/@signalapp/libsignal-client') as typeof import('@signalapp/libsignal-client');

describe('content padding', () => {
  it('pads to 159, 319, ... bytes with 0x80 then zeros, and strips it again', () => {
    for (const len of [0, 1, 157, 158, 159, 160, 300, 1000]) {
      const content = randomBytes(len);
      const padded = padContent(content);
      assert.equal(padded.length, paddedLength(len));
      assert.equal((padded.length + 1) % 160, 0);
      assert.equal(padded[len], 0x80);
      assert.ok(padded.subarray(len + 1).every((b) => b === 0));
      assert.deepEqual(Buffer.from(unpadContent(padded)), content);
    }
    assert.equal(paddedLength(158), 159);
    assert.equal(paddedLength(159), 319);
  });

  it('accepts the bare 0x80 marker some clients send, and rejects content without one', () => {
    assert.deepEqual(Buffer.from(unpadContent(Buffer.from([1, 2, 0x80]))), Buffer.from([1, 2]));
    assert.throws(() => unpadContent(Buffer.from([1, 2, 0, 0])), /invalid padding/);
    assert.throws(() => unpadContent(new Uint8Array(5)), /invalid padding/);
  });
});

describe('provisioning cipher', () => {
  it('round-trips a ProvisionMessage', () => {
    const ours = PrivateKey.generate();
    const message = encodeProvisionMessage({ number: '+15551234567', provisioningCode: '123', aciBinary: randomBytes(16) });
    const envelope = encryptProvisionMessage(ours.getPublicKey(), message);
    const decoded = decodeProvisionMessage(decryptProvisionEnvelope(ours, envelope));
    assert.equal(decoded.number, '+15551234567');
    assert.equal(decoded.provisioningCode, '123');
  });

  it("decrypts what Signal's mock phone encrypts", () => {
    const ours = PrivateKey.generate();
    const plaintext = Buffer.from(encodeProvisionMessage({ number: '+15550001111' }));
    // The mock runs its own libsignal build: hand it a key object of that build.
    const theirPublicKey = mockLibsignal.PublicKey.deserialize(Buffer.from(ours.getPublicKey().serialize()));
    const { body, ephemeralKey } = mockEncryptProvision(plaintext, theirPublicKey as unknown as Parameters<typeof mockEncryptProvision>[1]);
    const decoded = decodeProvisionMessage(decryptProvisionEnvelope(ours, { publicKey: ephemeralKey, body }));
    assert.equal(decoded.number, '+15550001111');
  });

  it('rejects a tampered MAC, a wrong key and an unknown version', () => {
    const ours = PrivateKey.generate();
    const envelope = encryptProvisionMessage(ours.getPublicKey(), Buffer.from('hello provisioning'));
    const tampered = Buffer.from(envelope.body);
    tampered[tampered.length - 1]! ^= 1;
    assert.throws(() => decryptProvisionEnvelope(ours, { ...envelope, body: tampered }), /MAC mismatch/);
    assert.throws(() => decryptProvisionEnvelope(PrivateKey.generate(), envelope), /MAC mismatch/);
    const versioned = Buffer.from(envelope.body);
    versioned[0] = 2;
    assert.throws(() => decryptProvisionEnvelope(ours, { ...envelope, body: versioned }), /version 2/);
    assert.throws(() => decryptProvisionEnvelope(ours, { ...envelope, body: Buffer.from([1, 2, 3]) }), /too short/);
  });
});

describe('device name cipher', () => {
  it('round-trips a name, and only the identity key opens it', () => {
    const identity = PrivateKey.generate();
    const sealed = encryptDeviceName('my bot 🤖', identity.getPublicKey());
    assert.equal(decryptDeviceName(sealed, identity), 'my bot 🤖');
    assert.throws(() => decryptDeviceName(sealed, PrivateKey.generate()), /does not verify/);
  });
});

describe('attachment crypto', () => {
  it('round-trips empty, tiny and 5 MiB attachments, padded to a size bucket', () => {
    for (const size of [0, 1, 5 * 1024 * 1024]) {
      const data = randomBytes(size);
      const enc = encryptAttachment(data);
      assert.equal(enc.key.length, 64);
      assert.equal(enc.size, size);
      assert.ok(enc.ciphertext.length >= paddedAttachmentSize(size) + 16 + 32);
      assert.deepEqual(Buffer.from(decryptAttachment(enc.ciphertext, enc.key, enc.digest, size)), data);
    }
    assert.equal(paddedAttachmentSize(1), 541);
  });

  it('streams the same blob as it encrypts whole, again on a retry, with the digest known at the end', () => {
    const data = randomBytes(200_000);
    const key = randomBytes(64);
    const iv = randomBytes(16);
    const whole = encryptAttachment(data, key, iv);
    const stream = new AttachmentEncryption(data, key, iv);
    assert.throws(() => stream.digest, /only after every chunk/);
    for (let run = 0; run < 2; run++) {
      const chunks = [...stream.chunks()];
      assert.ok(chunks.length > 3, 'more than one chunk of ciphertext');
      assert.deepEqual(Buffer.concat(chunks), Buffer.from(whole.ciphertext));
      assert.equal(stream.length, whole.ciphertext.length);
      assert.deepEqual(stream.digest, whole.digest);
    }
  });

  it('decrypts in place to the same plaintext, across many chunks', () => {
    for (const size of [1, 65_535, 65_537, 300_000]) {
      const data = randomBytes(size);
      const enc = encryptAttachment(data);
      const copy = Buffer.from(enc.ciphertext);
      assert.deepEqual(Buffer.from(decryptAttachmentInPlace(copy, enc.key, enc.digest, size)), data);
    }
  });

  it('rejects a wrong digest, a tampered MAC, and a blob too short', () => {
    const enc = encryptAttachment(randomBytes(1000));
    assert.throws(() => decryptAttachment(enc.ciphertext, enc.key, randomBytes(32), 1000), /digest mismatch/);
    const tampered = Buffer.from(enc.ciphertext);
    tampered[20]! ^= 1;
    assert.throws(() => decryptAttachment(tampered, enc.key, undefined, 1000), /MAC mismatch/);
    assert.throws(() => decryptAttachment(new Uint8Array(10), enc.key), /too short/);
  });

  it("interoperates with the mock server's attachment crypto both ways", () => {
    const data = randomBytes(12345);
    const theirs = mockEncryptAttachment(data);
    assert.deepEqual(Buffer.from(decryptAttachment(theirs.blob, theirs.key, theirs.digest, theirs.size)), data);
  });
});

describe('profile fields', () => {
  const key = randomBytes(32);

  it('pad names to 53 or 257 bytes, and round-trip given and family name', () => {
    const short = encryptProfileField(key, 'name', encodeProfileName('Bot', 'Family'));
    assert.equal(short.length, 12 + 53 + 16);
    assert.equal(Buffer.from(decryptProfileField(key, short)).toString(), 'Bot\0Family');
    const long = encryptProfileField(key, 'name', encodeProfileName('x'.repeat(60)));
    assert.equal(long.length, 12 + 257 + 16);
  });

  it('refuse a field longer than its largest padding, and an empty given name', () => {
    assert.throws(() => encryptProfileField(key, 'name', Buffer.alloc(258, 0x41)), /too long/);
    assert.throws(() => encryptProfileField(key, 'aboutEmoji', Buffer.alloc(33, 0x41)), /too long/);
    assert.throws(() => encodeProfileName(''), /given name/);
  });

  it('read what another implementation (the mock server) encrypted, and reject a wrong key', () => {
    const theirs = mockEncryptProfileName(key, 'Alice');
    assert.equal(Buffer.from(decryptProfileField(key, theirs)).toString(), 'Alice');
    assert.throws(() => decryptProfileField(randomBytes(32), theirs));
  });
});
