// The one place the engine's error kinds become JSON-RPC error codes, as signal-cli maps its
// exceptions: what the caller got wrong is a user error (-1), a network failure an IO error (-3),
// a changed safety number an untrusted-key error (-4); a malformed parameter of no finer kind is
// -32602 (invalid params); anything unforeseen -32603 (internal).
import { MessengerError, type MessengerErrorKind } from '../messenger/errors.js';
import { INTERNAL_ERROR, INVALID_PARAMS, IO_ERROR, RpcError, UNTRUSTED_KEY_ERROR, USER_ERROR, type RpcErrorObject } from './protocol.js';

const CODE_FOR_KIND: Record<MessengerErrorKind, number> = {
  INVALID_NUMBER: USER_ERROR,
  INVALID_ATTACHMENT: USER_ERROR,
  INVALID_RECIPIENT: USER_ERROR,
  GROUP_NOT_FOUND: USER_ERROR,
  NOT_A_GROUP_MEMBER: USER_ERROR,
  MISSING_MESSAGE_CONTENT: USER_ERROR,
  MISSING_REACTION: USER_ERROR,
  INVALID_ARGUMENT: INVALID_PARAMS,
  UNTRUSTED_IDENTITY: UNTRUSTED_KEY_ERROR,
  CAPTCHA_REQUIRED: USER_ERROR,
  REGISTRATION_REFUSED: USER_ERROR,
  NETWORK: IO_ERROR,
  UNKNOWN: INTERNAL_ERROR,
};

export function codeForKind(kind: MessengerErrorKind): number {
  return CODE_FOR_KIND[kind];
}

/** Any failure of a method as the error object of its response. */
export function errorObjectFor(err: unknown): RpcErrorObject {
  if (err instanceof RpcError) return err.toObject();
  if (err instanceof MessengerError) return { code: codeForKind(err.kind), message: err.message };
  const message = err instanceof Error ? `${err.message || err.name} (${err.name})` : String(err);
  return { code: INTERNAL_ERROR, message };
}
