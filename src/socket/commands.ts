// One request object in, one response object out: finds the command's handler (socket/commands/,
// one file each, over the engine's declarations) and turns its outcome into an answer. Never
// throws; every failure becomes a response with a status code.
import type { InboxLease } from '../messenger/api.js';
import { MessengerError } from '../messenger/errors.js';
import { HANDLERS } from './commands/index.js';
import type { Request, Response } from './commands/context.js';
import { ProtocolError, StatusCode, statusCodeForKind } from './statusCodes.js';
import { isPlainObject } from './validators.js';

export type { CommandContext, Response } from './commands/context.js';
import type { CommandContext } from './commands/context.js';

export interface CommandOutcome {
  response: Response;
  /** Set for `receive_messages`: commit once `response` is written completely, else release. */
  lease?: InboxLease;
}

export const KNOWN_COMMANDS = Object.keys(HANDLERS);

/** `batchIndex`: where the request stood in a batch (from 0), named when it is not an object. */
export async function runCommand(request: unknown, ctx: CommandContext, batchIndex?: number): Promise<CommandOutcome> {
  if (!isPlainObject(request)) {
    const where = batchIndex === undefined ? '' : ` (element ${batchIndex} of the batch, counting from 0)`;
    return { response: errorResponse(null, StatusCode.INVALID_JSON, `expected an object, found ${describeJson(request)}${where}`) };
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

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function describeFailure(err: unknown): [StatusCode, string] {
  if (err instanceof ProtocolError) return [err.statusCode, err.message];
  if (err instanceof MessengerError) return [statusCodeForKind(err.kind), err.message];
  if (err instanceof Error) return [StatusCode.UNKNOWN, err.message || err.name];
  return [StatusCode.UNKNOWN, String(err)];
}
