// Failures a caller can act on, in the engine's words. Each front-end translates a kind once into
// its own terms (the socket: status codes in socket/statusCodes.ts; the CLI: exit codes).
export type MessengerErrorKind =
  | 'INVALID_NUMBER'
  | 'INVALID_ATTACHMENT'
  | 'INVALID_RECIPIENT'
  | 'GROUP_NOT_FOUND'
  | 'NOT_A_GROUP_MEMBER'
  | 'MISSING_MESSAGE_CONTENT'
  | 'MISSING_REACTION'
  /** A parameter of a command is malformed in a way none of the kinds above names. */
  | 'INVALID_ARGUMENT'
  | 'UNTRUSTED_IDENTITY'
  /** Registration: Signal wants a solved captcha first. */
  | 'CAPTCHA_REQUIRED'
  /** Registration: refused for a reason the message explains (rate limit, lock, expired session…). */
  | 'REGISTRATION_REFUSED'
  | 'NETWORK'
  | 'UNKNOWN';

export class MessengerError extends Error {
  constructor(
    readonly kind: MessengerErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MessengerError';
  }
}
