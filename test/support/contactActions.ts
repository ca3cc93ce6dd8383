// What mock contacts do in tests beyond plain text: attachments and reactions (the mock has no
// helper for either, so the Content is built here from the mock's own protos and crypto); and how
// a test waits for what a contact receives.
import assert from 'node:assert/strict';
import { createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { ProfileKey } from '@signalapp/libsignal-client/zkgroup.js';
import { EMPTY_DATA_MESSAGE, type Device, type PrimaryDevice } from '@signalapp/mock-server';
import { encryptAttachment, encryptProfileName } from '@signalapp/mock-server/src/crypto.js';
import { attachmentToPointer } from '@signalapp/mock-server/src/data/attachment.js';
import type { MockNetwork } from '../../src/sandbox/mockNetwork.js';

function rawContent(fields: Partial<typeof EMPTY_DATA_MESSAGE>) {
  return {
    content: { dataMessage: { ...EMPTY_DATA_MESSAGE, timestamp: BigInt(Date.now()), ...fields } },
    pniSignatureMessage: null,
    senderKeyDistributionMessage: null,
  };
}

export async function sendAttachment(
  network: MockNetwork,
  from: PrimaryDevice,
  to: Device,
  data: Buffer,
  meta: { fileName: string; contentType: string; body?: string },
): Promise<void> {
  const pointer = await uploadedPointer(network, data, meta);
  await from.sendRaw(to, rawContent({ body: meta.body ?? null, attachments: [pointer] }));
}

/** `data` encrypted and put on CDN 3 as a contact's app uploads it; its AttachmentPointer in the mock's shape. */
export async function uploadedPointer(network: MockNetwork, data: Buffer, meta: { fileName: string; contentType: string }) {
  const encrypted = encryptAttachment(Buffer.from(data));
  const key = randomUUID();
  await network.server.storeAttachmentOnCdn(3, key, encrypted.blob);
  return { ...attachmentToPointer(key, encrypted), cdnNumber: 3, fileName: meta.fileName, contentType: meta.contentType };
}

export async function sendReaction(from: PrimaryDevice, to: Device, emoji: string, target: { aciBinary: Uint8Array; timestamp: number }): Promise<void> {
  await from.sendRaw(
    to,
    rawContent({
      reaction: { emoji, remove: false, targetAuthorAci: null, targetAuthorAciBinary: Buffer.from(target.aciBinary), targetSentTimestamp: BigInt(target.timestamp) },
    }),
  );
}

/** A mock wait with a deadline, so a broken test fails instead of hanging. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]);
}

/** The next message `contact` receives, within 20 s. */
export function nextMessage(contact: PrimaryDevice, what: string) {
  return within(contact.waitForMessage(), 20_000, what);
}

/**
 * Proves that `contact` got nothing more: `sendMarker` makes sigsock send it `marker` after whatever
 * must not arrive, so the marker is the next message only if nothing else came. (Waiting a while
 * and then looking at the queue only makes a late arrival unlikely to be seen.)
 */
export async function assertNothingBeforeMarker(contact: PrimaryDevice, sendMarker: () => Promise<unknown>, marker: string, what: string): Promise<void> {
  await sendMarker();
  const next = await nextMessage(contact, `${what}: the marker`);
  assert.equal(next.body, marker, `${what}: something arrived before the marker`);
  assert.equal(contact.getMessageQueueSize(), 0, what);
}

/**
 * What a contact's client does with a profile name or avatar from the server: AES-256-GCM with the
 * profile key (nonce ‖ ciphertext ‖ tag). Written here from the format, not with sigsock's cipher.
 */
export function openProfileBlob(profileKey: Uint8Array, encrypted: Uint8Array): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', profileKey, encrypted.subarray(0, 12));
  decipher.setAuthTag(encrypted.subarray(encrypted.length - 16));
  return Buffer.concat([decipher.update(encrypted.subarray(12, encrypted.length - 16)), decipher.final()]);
}

/** A profile name as a contact reads it: given name, NUL, family name, without the zero padding. */
export function readProfileName(profileKey: Uint8Array, encrypted: Uint8Array): string {
  return openProfileBlob(profileKey, encrypted).toString('utf8').replace(/\0+$/, '');
}

type RawContent = Parameters<PrimaryDevice['sendRaw']>[1];
type MockDataMessage = typeof EMPTY_DATA_MESSAGE;

/** Any Content, in the mock's proto shape (its oneof `content`); fields left out are absent. */
export function anyContent(content: Record<string, unknown>): RawContent {
  return { content, pniSignatureMessage: null, senderKeyDistributionMessage: null } as unknown as RawContent;
}

/** A data message in the mock's shape: its empty message, now as timestamp, and `fields`. */
export function dataMessage(fields: Record<string, unknown>): MockDataMessage {
  return { ...EMPTY_DATA_MESSAGE, timestamp: BigInt(Date.now()), ...fields } as MockDataMessage;
}

/**
 * What the owner's phone sends its linked devices after sending `message` from the phone: a sync
 * transcript naming the recipient (none for a group message), or the transcript of an edit.
 */
export function sentTranscript(message: MockDataMessage, to: { aciBinary: Uint8Array } | null, edit?: { targetTimestamp: number }): RawContent {
  const sent = {
    timestamp: message.timestamp,
    message: edit ? null : message,
    editMessage: edit ? { targetSentTimestamp: BigInt(edit.targetTimestamp), dataMessage: message } : null,
    destinationServiceIdBinary: to ? Buffer.from(to.aciBinary) : null,
    destinationE164: null,
    destinationServiceId: null,
    expirationStartTimestamp: null,
    unidentifiedStatus: null,
    isRecipientUpdate: null,
    storyMessage: null,
    storyMessageRecipients: null,
  };
  return anyContent({ syncMessage: { content: { sent }, read: null, viewed: null, stickerPackOperation: null, padding: null } });
}

/**
 * A contact whose owner changed their profile: a new profile key (as Signal apps make one when the
 * owner blocks someone), and the new name encrypted with it on the server. The mock has no helper
 * for it; its fields are only typed readonly.
 */
export function changeProfile(contact: PrimaryDevice, name: string): void {
  const profileKey = new ProfileKey(randomBytes(32));
  (contact as unknown as { profileKey: ProfileKey }).profileKey = profileKey;
  contact.device.profileName = encryptProfileName(profileKey.serialize(), name);
}
