// Token authentication for socket connections. A connection authenticates once, either with an
// explicit `{"command":"auth","token":"…"}` or by adding `"auth":"…"` to its first command (so a
// one-line `echo … | socat` still works). Until then nothing it sends is executed.
import { errorResponse, responseHead, type Response } from './commands.js';
import { StatusCode } from './statusCodes.js';
import { isPlainObject } from './validators.js';
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
  private authenticated: boolean;
  private failures = 0;

  constructor(
    private readonly check: TokenCheck | undefined,
    private readonly maxFailures: number,
  ) {
    this.authenticated = check === undefined;
  }

  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  /** Decides about one request (a top-level object or one element of a batch), in arrival order. */
  admit(request: unknown): Admission {
    const object = isPlainObject(request) ? request : null;
    if (object?.command === AUTH_COMMAND) return this.explicitAuth(object);
    if (this.authenticated) return { kind: 'run' };
    if (object && object.auth !== undefined) {
      if (this.check!(object.auth)) {
        this.authenticated = true;
        return { kind: 'run' };
      }
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
    const hangUp = this.countFailure();
    return { message: `${message}; this connection is not authenticated yet${this.attemptsLeft(hangUp)}: ${HOW_TO}`, hangUp };
  }

  private explicitAuth(request: Record<string, unknown>): Admission {
    const response = responseHead(request, StatusCode.SUCCESS);
    // Without a configured token there is nothing to check: clients may authenticate anyway, so
    // one client works against daemons with and without a token.
    if (this.check === undefined) return { kind: 'answer', response, hangUp: false };
    if (this.check(request.token)) {
      this.authenticated = true;
      return { kind: 'answer', response, hangUp: false };
    }
    if (this.authenticated) {
      // Already in: a wrong token now changes nothing and is not held against the connection.
      return { kind: 'answer', response: errorResponse(request, StatusCode.UNKNOWN, 'authentication failed: wrong token (this connection stays authenticated)'), hangUp: false };
    }
    const why = typeof request.token === 'string' ? 'wrong token' : 'the auth command needs "token": the token as a string';
    return this.refuse(request, `authentication failed: ${why}`);
  }

  private refuse(request: Record<string, unknown> | null, why: string): Admission {
    const hangUp = this.countFailure();
    return { kind: 'answer', response: errorResponse(request, StatusCode.UNKNOWN, `${why}${this.attemptsLeft(hangUp)}`), hangUp };
  }

  private countFailure(): boolean {
    this.failures++;
    return this.failures >= this.maxFailures;
  }

  private attemptsLeft(hangUp: boolean): string {
    if (hangUp) return ` (${this.failures} failed attempts: closing the connection)`;
    const left = this.maxFailures - this.failures;
    return ` (${left} ${left === 1 ? 'attempt' : 'attempts'} left before the connection is closed)`;
  }
}
