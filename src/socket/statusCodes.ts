// The seed's status codes, unchanged, and which one each engine error kind is reported as: the one
// place where the socket translates the engine's failures.
import type { MessengerErrorKind } from '../messenger/errors.js';

export const StatusCode = {
  UNKNOWN: -1,
  SUCCESS: 0,
  UNKNOWN_COMMAND: 1,
  INVALID_NUMBER: 2,
  INVALID_ATTACHMENT: 3,
  INVALID_JSON: 4,
  INVALID_RECIPIENT: 5,
  GROUP_NOT_FOUND: 6,
  NOT_A_GROUP_MEMBER: 7,
  MESSAGE_ERROR: 8,
  MISSING_MESSAGE_CONTENT: 9,
  MESSAGE_PARSING_ERROR: 10,
  MISSING_REACTION: 11,
} as const;

export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode];

// Kinds without a code of their own (an untrusted identity, a network failure) are UNKNOWN;
// the errorMessage tells the client what happened.
const CODE_BY_KIND: Record<MessengerErrorKind, StatusCode> = {
  INVALID_NUMBER: StatusCode.INVALID_NUMBER,
  INVALID_ATTACHMENT: StatusCode.INVALID_ATTACHMENT,
  INVALID_RECIPIENT: StatusCode.INVALID_RECIPIENT,
  GROUP_NOT_FOUND: StatusCode.GROUP_NOT_FOUND,
  NOT_A_GROUP_MEMBER: StatusCode.NOT_A_GROUP_MEMBER,
  MISSING_MESSAGE_CONTENT: StatusCode.MISSING_MESSAGE_CONTENT,
  MISSING_REACTION: StatusCode.MISSING_REACTION,
  INVALID_ARGUMENT: StatusCode.UNKNOWN,
  UNTRUSTED_IDENTITY: StatusCode.UNKNOWN,
  CAPTCHA_REQUIRED: StatusCode.UNKNOWN,
  REGISTRATION_REFUSED: StatusCode.UNKNOWN,
  NETWORK: StatusCode.UNKNOWN,
  UNKNOWN: StatusCode.UNKNOWN,
};

export function statusCodeForKind(kind: MessengerErrorKind): StatusCode {
  return CODE_BY_KIND[kind] ?? StatusCode.UNKNOWN;
}

/** A request the socket layer itself refuses (not a command the engine knows, an unknown ackId). */
export class ProtocolError extends Error {
  constructor(
    readonly statusCode: StatusCode,
    message: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}
