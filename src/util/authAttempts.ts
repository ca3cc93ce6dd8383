// One connection's authentication state, for every front-end that takes a token (the seed socket,
// JSON-RPC on TCP): whether it is in, and how many failed attempts it has left before it is closed.
// Each front-end words its own answers; the rules live here once.
import type { TokenCheck } from './tokenCheck.js';

/** A presented token: let in; refused (counts as a failed attempt); or wrong, on a connection already in (changes nothing). */
export type TokenOutcome = 'accepted' | 'refused' | 'ignoredWhileIn';

export class AuthAttempts {
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

  /** Too many failed attempts: the connection is to be closed once the refusal was written. */
  get exhausted(): boolean {
    return this.failures >= this.maxFailures;
  }

  /** Without a configured token every token is accepted, so one client works against daemons with and without one. */
  present(token: unknown): TokenOutcome {
    if (this.check === undefined || this.check(token)) {
      this.authenticated = true;
      return 'accepted';
    }
    return this.authenticated ? 'ignoredWhileIn' : 'refused';
  }

  /** Counts a failed attempt: whether to hang up, and the note that says how many attempts are left. */
  fail(): { hangUp: boolean; note: string } {
    this.failures++;
    const hangUp = this.exhausted;
    const left = this.maxFailures - this.failures;
    const note = hangUp ? ` (${this.failures} failed attempts: closing the connection)` : ` (${left} ${left === 1 ? 'attempt' : 'attempts'} left before the connection is closed)`;
    return { hangUp, note };
  }
}
