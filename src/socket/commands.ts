// One request object in, one response object out: validates the fields each command takes and
// calls the messenger. Never throws; every failure becomes a response with a status code.
import type { InboxLease, Messenger, OutgoingAttachment, ReactionRequest, SendTarget } from '../messenger/api.js';
import { MessengerError } from '../messenger/errors.js';
import type { SocketLimits } from './limits.js';
import { ProtocolError, StatusCode, statusCodeForKind } from './statusCodes.js';
import { decodeBase64Strict, guessContentType, isPlainObject, parseAddress, parseGroupId } from './validators.js';
import type { PendingAcks } from './acks.js';
import { DecodedBase64 } from './base64Stream.js';
import { encodeEntry } from './entryEncoder.js';

export type Response = Record<string, unknown>;

export interface CommandOutcome {
  response: Response;
  /** Set for `receive_messages`: commit once `response` is written completely, else release. */
  lease?: InboxLease;
}

export interface CommandContext {
  messenger: Messenger;
  limits: Pick<SocketLimits, 'maxAttachmentBytes' | 'maxReceiveTimeoutMs'>;
  /** Aborted when the client is gone or the server shuts down: stop waiting for messages. */
  signal?: AbortSignal;
  /** This connection's leases waiting for an `ack` (receive_messages with `ack: true`). */
  acks?: PendingAcks;
}

type Request = Record<string, unknown>;
type Handler = (request: Request, ctx: CommandContext) => Promise<{ fields: Response; lease?: InboxLease }>;

const DEFAULT_RECEIVE_TIMEOUT_MS = 1000;

const HANDLERS: Record<string, Handler> = {
  send_message: sendMessage,
  send_reaction: sendReaction,
  receive_messages: receiveMessages,
  list_groups: listGroups,
  trust: trust,
  ack: ack,
  update_group: updateGroup,
  quit_group: quitGroup,
  list_devices: listDevices,
};

export const KNOWN_COMMANDS = Object.keys(HANDLERS);

export async function runCommand(request: unknown, ctx: CommandContext): Promise<CommandOutcome> {
  if (!isPlainObject(request)) {
    return { response: errorResponse(null, StatusCode.INVALID_JSON, 'expected an object') };
  }
  const handler = typeof request.command === 'string' && Object.hasOwn(HANDLERS, request.command) ? HANDLERS[request.command] : undefined;
  if (!handler) {
    const what = typeof request.command === 'string' ? `unknown command '${request.command.slice(0, 100)}'` : 'missing command';
    return { response: errorResponse(request, StatusCode.UNKNOWN_COMMAND, `${what}; known commands: ${KNOWN_COMMANDS.join(', ')}`) };
  }
  try {
    const { fields, lease } = await handler(request, ctx);
    return { response: { ...responseHead(request, StatusCode.SUCCESS), ...fields }, lease };
  } catch (err) {
    return { response: errorResponse(request, ...describeFailure(err)) };
  }
}

/** An answer for input that never became a request, such as a JSON syntax error. */
export function errorResponse(request: Request | null, statusCode: StatusCode, message: string): Response {
  return { ...responseHead(request, statusCode), errorMessage: message };
}

/** `command`, `reqId` (when the request had one) and `statusCode`: what every answer starts with. */
export function responseHead(request: Request | null, statusCode: StatusCode): Response {
  const head: Response = { command: typeof request?.command === 'string' ? request.command : null };
  // A numeric reqId read from the socket is a VerbatimNumber: encodeAnswer writes the digits as sent.
  if (request && Object.hasOwn(request, 'reqId')) head.reqId = request.reqId;
  head.statusCode = statusCode;
  return head;
}

function describeFailure(err: unknown): [StatusCode, string] {
  if (err instanceof ProtocolError) return [err.statusCode, err.message];
  if (err instanceof MessengerError) return [statusCodeForKind(err.kind), err.message];
  if (err instanceof Error) return [StatusCode.UNKNOWN, err.message || err.name];
  return [StatusCode.UNKNOWN, String(err)];
}

async function sendMessage(request: Request, ctx: CommandContext) {
  const target = parseTarget(request);
  const data = request.dataMessage;
  if (!isPlainObject(data)) {
    throw new ProtocolError(StatusCode.MISSING_MESSAGE_CONTENT, 'dataMessage is missing: it must be an object with message and/or attachments');
  }
  if (data.message !== undefined && data.message !== null && typeof data.message !== 'string') {
    throw new ProtocolError(StatusCode.MISSING_MESSAGE_CONTENT, 'dataMessage.message must be a string');
  }
  const text = typeof data.message === 'string' && data.message.length > 0 ? data.message : undefined;
  const attachments = parseAttachments(data.attachments, ctx.limits.maxAttachmentBytes);
  if (text === undefined && attachments.length === 0) {
    throw new ProtocolError(StatusCode.MISSING_MESSAGE_CONTENT, 'dataMessage has neither message text nor attachments');
  }
  const result = await ctx.messenger.sendMessage(target, text, attachments);
  return { fields: { timestamp: result.timestamp, results: result.results } };
}

async function sendReaction(request: Request, ctx: CommandContext) {
  const target = parseTarget(request);
  const reaction = parseReaction(request.reaction);
  const result = await ctx.messenger.sendReaction(target, reaction);
  return { fields: { timestamp: result.timestamp, results: result.results } };
}

async function receiveMessages(request: Request, ctx: CommandContext) {
  const timeout = request.timeout ?? DEFAULT_RECEIVE_TIMEOUT_MS;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout < 0) {
    throw new ProtocolError(StatusCode.UNKNOWN, 'timeout must be a non-negative number of milliseconds');
  }
  const ignoreAttachments = request.ignoreAttachments ?? false;
  if (typeof ignoreAttachments !== 'boolean') throw new ProtocolError(StatusCode.UNKNOWN, 'ignoreAttachments must be true or false');

  let lease: InboxLease;
  try {
    lease = await ctx.messenger.takeInbox(Math.min(timeout, ctx.limits.maxReceiveTimeoutMs), ctx.signal);
  } catch (err) {
    // Waiting was cut short (client gone, daemon stopping): nothing was taken, so nothing to report.
    if (ctx.signal?.aborted) return { fields: { messages: [] } };
    throw err;
  }
  const messages = lease.entries.map((entry) => encodeEntry(entry, { attachmentData: !ignoreAttachments }));
  if (request.ack === true && ctx.acks && lease.entries.length > 0) {
    // Kept until the client acknowledges; the connection releases it if that never comes.
    return { fields: { messages, ackId: ctx.acks.hold(lease) } };
  }
  return { fields: { messages }, lease };
}

/** Extension: the client has processed the messages of an answer with this `ackId`. */
async function ack(request: Request, ctx: CommandContext) {
  if (typeof request.ackId !== 'string' || !ctx.acks?.acknowledge(request.ackId)) {
    throw new ProtocolError(StatusCode.UNKNOWN, 'unknown ackId: acknowledge on the same connection, once, with the ackId of a receive_messages answer');
  }
  return { fields: {} };
}

/** Extension: create a group (no groupId), or rename it and add or remove members. */
async function updateGroup(request: Request, ctx: CommandContext) {
  const groupId = request.groupId === undefined ? undefined : parseGroupId(request.groupId);
  if (request.name !== undefined && (typeof request.name !== 'string' || request.name.trim() === '')) {
    throw new ProtocolError(StatusCode.UNKNOWN, 'name must be a non-empty string');
  }
  const name = request.name as string | undefined;
  const addMembers = parseMemberList(request.addMembers, 'addMembers');
  const removeMembers = parseMemberList(request.removeMembers, 'removeMembers');
  if (groupId === undefined && name === undefined) throw new ProtocolError(StatusCode.UNKNOWN, 'a new group needs a name (or give groupId to change a group)');
  if (groupId === undefined && removeMembers.length > 0) throw new ProtocolError(StatusCode.UNKNOWN, 'removeMembers needs groupId');
  if (groupId !== undefined && name === undefined && addMembers.length === 0 && removeMembers.length === 0) {
    throw new ProtocolError(StatusCode.UNKNOWN, 'nothing to change: give name, addMembers or removeMembers');
  }
  return { fields: { ...(await ctx.messenger.updateGroup({ groupId, title: name, addMembers, removeMembers })) } };
}

/** Extension: leave a group; `admins` names members to make administrators first. */
async function quitGroup(request: Request, ctx: CommandContext) {
  const groupId = parseGroupId(request.groupId);
  return { fields: { ...(await ctx.messenger.quitGroup(groupId, parseMemberList(request.admins, 'admins'))) } };
}

function parseMemberList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new ProtocolError(StatusCode.INVALID_NUMBER, `${field} must be an array of phone numbers or ACIs`);
  return value.map((v, i) => parseAddress(v, `${field}[${i}]`));
}

async function listGroups(_request: Request, ctx: CommandContext) {
  return { fields: { groups: await ctx.messenger.listGroups() } };
}

/** Extension: the account's devices (signal-cli's listDevices), e.g. to see that the phone is still there. */
async function listDevices(_request: Request, ctx: CommandContext) {
  return { fields: { devices: await ctx.messenger.listDevices() } };
}

/** Extension: accept a contact's new safety number, so sends to them are no longer blocked. */
async function trust(request: Request, ctx: CommandContext) {
  const recipient = parseAddress(request.recipient, 'recipient');
  return { fields: { recipient, ...(await ctx.messenger.trustIdentity(recipient, request.verified === true)) } };
}

function parseTarget(request: Request): SendTarget {
  const hasRecipient = request.recipient !== undefined && request.recipient !== null;
  const hasGroup = request.groupId !== undefined && request.groupId !== null;
  if (hasRecipient && hasGroup) {
    throw new ProtocolError(StatusCode.INVALID_RECIPIENT, 'both recipient and groupId are set; give exactly one');
  }
  if (!hasRecipient && !hasGroup) {
    throw new ProtocolError(StatusCode.INVALID_RECIPIENT, 'none of recipient and groupId is set; give exactly one');
  }
  return hasRecipient ? { recipient: parseAddress(request.recipient, 'recipient') } : { groupId: parseGroupId(request.groupId) };
}

function parseAttachments(value: unknown, maxBytes: number): OutgoingAttachment[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ProtocolError(StatusCode.INVALID_ATTACHMENT, 'dataMessage.attachments must be an array');
  return value.map((item, index) => parseAttachment(item, index, maxBytes));
}

function parseAttachment(item: unknown, index: number, maxBytes: number): OutgoingAttachment {
  const fail = (why: string) => new ProtocolError(StatusCode.INVALID_ATTACHMENT, `attachment ${index}: ${why}`);
  if (!isPlainObject(item)) throw fail('expected an object with base64Data');
  const { base64Data, filename, contentType } = item;
  const decoded = base64Data instanceof DecodedBase64;
  if (!decoded && (typeof base64Data !== 'string' || base64Data.length === 0)) throw fail('base64Data must be a non-empty base64 string');
  if (filename !== undefined && filename !== null && typeof filename !== 'string') throw fail('filename must be a string');
  if (contentType !== undefined && contentType !== null && typeof contentType !== 'string') throw fail('contentType must be a string');
  const tooLarge = (bytes: number) => fail(`${bytes} bytes is larger than the limit of ${maxBytes} bytes`);
  // The socket's reader decodes base64Data as it streams in; other callers pass the text.
  const data = decoded ? base64Data.bytes : decodeBase64Strict(base64Data as string, maxBytes, tooLarge);
  if (!data) throw fail('base64Data is not valid base64');
  if (data.length > maxBytes) throw tooLarge(data.length);
  if (data.length === 0) throw fail('base64Data decodes to no data');
  const name = typeof filename === 'string' && filename.length > 0 ? filename : undefined;
  const type = typeof contentType === 'string' && contentType.length > 0 ? contentType : guessContentType(name);
  return name === undefined ? { data, contentType: type } : { data, filename: name, contentType: type };
}

function parseReaction(value: unknown): ReactionRequest {
  const missing = (why: string) => new ProtocolError(StatusCode.MISSING_REACTION, why);
  if (!isPlainObject(value)) throw missing('reaction is missing: it must be an object with emoji, author and timestamp');
  const { emoji, author, timestamp, remove } = value;
  if (typeof emoji !== 'string' || emoji.length === 0) throw missing('reaction.emoji must be a non-empty string');
  if (author === undefined || author === null) throw missing('reaction.author is missing');
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp <= 0) {
    throw missing('reaction.timestamp must be the positive integer sent timestamp (ms) of the reacted-to message');
  }
  if (remove !== undefined && remove !== null && typeof remove !== 'boolean') throw missing('reaction.remove must be true or false');
  return { emoji, author: parseAddress(author, 'reaction.author'), timestamp, remove: remove === true };
}
