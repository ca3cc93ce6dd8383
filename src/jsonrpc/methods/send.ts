// send and sendReaction: to one or more recipients and groups, as signal-cli's methods take them.
// The engine sends to one destination at a time, so each gets its own send (and timestamp); the
// result lists every recipient, and a send that reached nobody is an error carrying the results
// in `data.response`, as signal-cli reports it.
import type { RecipientResult, SendResult } from '../../messenger/api.js';
import { CommandArguments, rangeNotation, sendMessage, sendReaction, stickerNotation, type ParseLimits } from '../../messenger/commands/index.js';
import { MessengerError } from '../../messenger/errors.js';
import { RpcError, UNTRUSTED_KEY_ERROR, USER_ERROR } from '../protocol.js';
import type { Params } from '../params.js';
import type { Method } from './context.js';
import { readAttachments } from './outgoingAttachments.js';

export type Destination = { recipient: unknown } | { groupId: unknown };

/** signal-cli's send parameters sigsock does not have yet. */
const SEND_NOT_YET = ['username', 'noteToSelf', 'notifySelf', 'endSession', 'storyTimestamp', 'noUrgent'] as const;

export const send: Method = async (params, ctx) => {
  params.refuseUnsupported('send', SEND_NOT_YET);
  const destinations = destinationsOf(params, 'send');
  const message = params.get('message') ?? '';
  const attachments = await readAttachments(params.list('attachment'), ctx.maxAttachmentBytes);
  const limits: ParseLimits = { maxAttachmentBytes: ctx.maxAttachmentBytes };
  // Every destination is checked before anything is sent.
  const extras = { ...messageExtras(params), ...(await sendingParts(params, ctx.maxAttachmentBytes)) };
  const parsed = destinations.map((d) => sendMessage.parse(new CommandArguments({ ...d, message, attachments, ...extras }, { ...LABELS, ...EXTRA_LABELS }), limits));
  return sendToEach(parsed.map((p) => () => sendMessage.run(ctx.engine, p, {})), destinations);
};

export const sendReactionMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('sendReaction', ['username', 'noteToSelf', 'notifySelf', 'story']);
  const destinations = destinationsOf(params, 'sendReaction');
  const fields = { emoji: params.get('emoji'), author: params.get('targetAuthor'), timestamp: params.get('targetTimestamp'), remove: params.get('remove') ?? false };
  const parsed = destinations.map((d) => sendReaction.parse(new CommandArguments({ ...d, ...fields }, LABELS), { maxAttachmentBytes: 0 }));
  return sendToEach(parsed.map((p) => () => sendReaction.run(ctx.engine, p, {})), destinations);
};

/**
 * signal-cli's quote, mention, style and edit parameters as the engine's send takes them:
 * `quoteTimestamp`/`quoteAuthor`/`quoteMessage`, `mention` and `textStyle` as START:LENGTH:X strings.
 */
function messageExtras(params: Params): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  if (params.has('quoteTimestamp') || params.has('quoteAuthor')) {
    extras.quote = { timestamp: params.get('quoteTimestamp'), author: params.get('quoteAuthor'), text: params.get('quoteMessage') };
  }
  const mentions = params.list('mention');
  if (mentions.length > 0) {
    extras.mentions = mentions.map((m) => {
      const { start, length, rest } = rangeNotation(m, 'mention', 'START:LENGTH:RECIPIENT');
      return { start, length, recipient: rest };
    });
  }
  const styles = params.list('textStyle');
  if (styles.length > 0) {
    extras.textStyles = styles.map((t) => {
      const { start, length, rest } = rangeNotation(t, 'textStyle', 'START:LENGTH:STYLE');
      return { start, length, style: rest };
    });
  }
  if (params.has('editTimestamp')) extras.editTimestamp = params.get('editTimestamp');
  return extras;
}

/**
 * `sticker` (PACK_ID:PACK_KEY:STICKER_ID, with `stickerImage`: sigsock keeps no sticker packs),
 * `viewOnce`, and signal-cli's `previewUrl`/`previewTitle`/`previewDescription`/`previewImage`.
 * Images are file paths or data URIs, as `attachments`.
 */
async function sendingParts(params: Params, maxBytes: number): Promise<Record<string, unknown>> {
  const parts: Record<string, unknown> = {};
  const image = async (name: string) => (params.has(name) ? (await readAttachments([params.get(name)], maxBytes))[0] : undefined);
  if (params.has('sticker')) parts.sticker = stickerNotation(params.get('sticker'), 'sticker', await image('stickerImage'));
  if (params.has('viewOnce')) parts.viewOnce = params.get('viewOnce');
  if (params.has('previewUrl')) {
    parts.previews = [{ url: params.get('previewUrl'), title: params.get('previewTitle'), description: params.get('previewDescription'), image: await image('previewImage') }];
  }
  return parts;
}

const EXTRA_LABELS = { quote: 'quote', mentions: 'mention', textStyles: 'textStyle', editTimestamp: 'editTimestamp', sticker: 'sticker', viewOnce: 'viewOnce', previews: 'previewUrl' };

export const LABELS = { author: 'targetAuthor', timestamp: 'targetTimestamp', content: 'send', attachments: 'attachments' };

export function destinationsOf(params: Params, method: string): Destination[] {
  const destinations: Destination[] = [...params.list('recipient').map((recipient) => ({ recipient })), ...params.list('groupId').map((groupId) => ({ groupId }))];
  if (destinations.length === 0) throw new RpcError(USER_ERROR, `${method}: no recipients given (recipient or groupId)`);
  return destinations;
}

/** What a failed delivery to one destination is in signal-cli's result types; other failures are thrown. */
const FAILURE_TYPE: Partial<Record<MessengerError['kind'], string>> = {
  UNTRUSTED_IDENTITY: 'IDENTITY_FAILURE',
  NETWORK: 'NETWORK_FAILURE',
};

export async function sendToEach(sends: (() => Promise<SendResult>)[], destinations: Destination[]): Promise<unknown> {
  const results: Record<string, unknown>[] = [];
  let timestamp: number | undefined;
  for (const [i, run] of sends.entries()) {
    const destination = destinations[i];
    const groupId = 'groupId' in destination ? { groupId: destination.groupId as string } : {};
    try {
      const result = await run();
      timestamp ??= result.timestamp;
      results.push(...result.results.map((r) => ({ ...encodeResult(r), ...groupId })));
    } catch (err) {
      const type = err instanceof MessengerError ? FAILURE_TYPE[err.kind] : undefined;
      if (!type || !('recipient' in destination)) throw err;
      results.push({ recipientAddress: addressOf(String(destination.recipient), null), type, error: (err as Error).message });
    }
  }
  const response = timestamp === undefined ? { results } : { timestamp, results };
  if (results.some((r) => r.type === 'SUCCESS')) return response;
  if (results.length > 0 && results.every((r) => r.type === 'IDENTITY_FAILURE')) {
    throw new RpcError(UNTRUSTED_KEY_ERROR, 'Failed to send message due to untrusted identities', { response });
  }
  throw new RpcError(USER_ERROR, 'Failed to send message', { response });
}

function encodeResult(r: RecipientResult): Record<string, unknown> {
  return { recipientAddress: addressOf(r.recipient, r.aci), type: r.success ? 'SUCCESS' : 'NETWORK_FAILURE', ...(r.error && { error: r.error }) };
}

function addressOf(named: string | null, aci: string | null): { uuid: string | null; number: string | null } {
  const isNumber = named !== null && named.startsWith('+');
  return { uuid: aci ?? (named !== null && !isNumber ? named : null), number: isNumber ? named : null };
}
