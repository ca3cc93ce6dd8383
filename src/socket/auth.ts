// Token authentication for socket connections. A connection authenticates once, either with an
// explicit `{"command":"auth","token":"…"}` or by adding `"auth":"…"` to its first command (so a
// one-line `echo … | socat` still works). Until then nothing it sends is executed.
import { errorResponse, responseHead, type Response } from './commands.js';
import { StatusCode } from './statusCodes.js';
import { isPlainObject } from './validators.js';
import { AuthAttempts } from '../util/authAttempts.js';
import type { TokenCheck } from '../util/tokenCheck.js';

export { tokenCheck, type TokenCheck } from '../util/tokenCheck.js';

export const AUTH_COMMAND = 'auth';

const HOW_TO =
  `send {"command":"auth","token":"YOUR_TOKEN"} first, or add "auth":"YOUR_TOKEN" to this command ` +
  `(e.g. {command:'receive_messages', auth:'YOUR_TOKEN'})`;

/** What to do with one request on a connection. */
export type Admission =
  /** Run it as a command. */
  | { kind: 'run' }
  /** Do not run it: answer this instead, and hang up afterwards when `hangUp` is set. */
  | { kind: 'answer'; response: Response; hangUp: boolean };

/** One connection's authentication state. Without a token check every request is let through. */
export class AuthGate {
  private readonly attempts: AuthAttempts;

  constructor(check: TokenCheck | undefined, maxFailures: number) {
    this.attempts = new AuthAttempts(check, maxFailures);
  }

  get isAuthenticated(): boolean {
    return this.attempts.isAuthenticated;
  }

  /** Decides about one request (a top-level object or one element of a batch), in arrival order. */
  admit(request: unknown): Admission {
    const object = isPlainObject(request) ? request : null;
    if (object?.command === AUTH_COMMAND) return this.explicitAuth(object);
    if (this.attempts.isAuthenticated) return { kind: 'run' };
    if (object && object.auth !== undefined) {
      if (this.attempts.present(object.auth) === 'accepted') return { kind: 'run' };
      return this.refuse(object, 'authentication failed: wrong token');
    }
    return this.refuse(object, `authentication required: ${HOW_TO}`);
  }

  /**
   * Input that never became a request (a syntax error, a command over the size limit) before
   * authenticating counts as a failed attempt too, so a stranger cannot keep a connection busy
   * with garbage. Returns the reader's message with a hint, and whether to hang up.
   */
  rejectUnreadable(message: string): { message: string; hangUp: boolean } {
    const { hangUp, note } = this.attempts.fail();
    return { message: `${message}; this connection is not authenticated yet${note}: ${HOW_TO}`, hangUp };
  }

  private explicitAuth(request: Record<string, unknown>): Admission {
    switch (this.attempts.present(request.token)) {
      case 'accepted':
        return { kind: 'answer', response: responseHead(request, StatusCode.SUCCESS), hangUp: false };
      case 'ignoredWhileIn':
        return { kind: 'answer', response: errorResponse(request, StatusCode.UNKNOWN, 'authentication failed: wrong token (this connection stays authenticated)'), hangUp: false };
      case 'refused': {
        const why = typeof request.token === 'string' ? 'wrong token' : 'the auth command needs "token": the token as a string';
        return this.refuse(request, `authentication failed: ${why}`);
      }
    }
  }

  private refuse(request: Record<string, unknown> | null, why: string): Admission {
    const { hangUp, note } = this.attempts.fail();
    return { kind: 'answer', response: errorResponse(request, StatusCode.UNKNOWN, `${why}${note}`), hangUp };
  }
}
