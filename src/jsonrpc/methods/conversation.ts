// remoteDelete, sendTyping and sendReceipt as signal-cli's JSON-RPC takes them, over the engine's
// commands; results in `send`'s shape ({timestamp, results}), a send that reached nobody an error.
import { CommandArguments, remoteDelete, sendReceipt, sendTyping, setExpiration } from '../../messenger/commands/index.js';
import { RpcError, USER_ERROR } from '../protocol.js';
import type { Method } from './context.js';
import { destinationsOf, LABELS, sendToEach } from './send.js';

const NO_LIMITS = { maxAttachmentBytes: 0 };

export const remoteDeleteMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('remoteDelete', ['username', 'noteToSelf']);
  const destinations = destinationsOf(params, 'remoteDelete');
  const targetTimestamp = params.get('targetTimestamp');
  // Every destination is checked before anything is sent.
  const parsed = destinations.map((d) => remoteDelete.parse(new CommandArguments({ ...d, targetTimestamp }, LABELS), NO_LIMITS));
  return sendToEach(parsed.map((p) => () => remoteDelete.run(ctx.engine, p, {})), destinations);
};

/** signal-cli's updateContact: sigsock keeps no contact names, so only `expiration` (the conversation's timer). */
export const updateContactMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('updateContact', ['name', 'givenName', 'familyName', 'nickGivenName', 'nickFamilyName', 'note']);
  if (!params.has('expiration')) throw new RpcError(USER_ERROR, 'updateContact: sigsock keeps no contact names; give expiration (seconds) to set the conversation\'s timer');
  const parsed = setExpiration.parse(new CommandArguments({ recipient: params.get('recipient'), expiration: params.get('expiration') }, LABELS), NO_LIMITS);
  const result = await setExpiration.run(ctx.engine, parsed, {});
  return { timestamp: result.timestamp };
};

export const sendTypingMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('sendTyping', ['username']);
  const destinations = destinationsOf(params, 'sendTyping');
  const stop = params.get('stop') ?? false;
  const parsed = destinations.map((d) => sendTyping.parse(new CommandArguments({ ...d, stop }, LABELS), NO_LIMITS));
  return sendToEach(parsed.map((p) => () => sendTyping.run(ctx.engine, p, {})), destinations);
};

export const sendReceiptMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('sendReceipt', ['username']);
  if (params.has('groupId')) throw new RpcError(USER_ERROR, 'sendReceipt: receipts go to the contact who sent the messages (recipient), not to a group');
  const destinations = destinationsOf(params, 'sendReceipt');
  // signal-cli's `targetTimestamp` is one timestamp or a list of them.
  const targetTimestamps = params.list('targetTimestamp');
  const type = params.get('type') ?? 'read';
  const parsed = destinations.map((d) => sendReceipt.parse(new CommandArguments({ ...d, targetTimestamps, type }, { ...LABELS, targetTimestamps: 'targetTimestamp' }), NO_LIMITS));
  return sendToEach(parsed.map((p) => () => sendReceipt.run(ctx.engine, p, {})), destinations);
};
