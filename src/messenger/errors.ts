// Failures a caller can act on. The socket layer maps each kind to the seed's status code.
export type MessengerErrorKind =
  | 'INVALID_NUMBER'
  | 'INVALID_ATTACHMENT'
  | 'INVALID_RECIPIENT'
  | 'GROUP_NOT_FOUND'
  | 'NOT_A_GROUP_MEMBER'
  | 'MISSING_MESSAGE_CONTENT'
  | 'MISSING_REACTION'
  | 'UNTRUSTED_IDENTITY'
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
