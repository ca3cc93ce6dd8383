// Token authentication for a JSON-RPC connection on TCP (sigsock's extension; signal-cli has none).
// When the daemon has a token, a connection's first request is `{"method":"auth","params":
// {"token":"…"}}`; until then every other request is refused with AUTH_ERROR and runs nothing, and
// after `maxFailures` refusals the connection is closed. Without a token `auth` succeeds anyway, so
// one client works against daemons with and without a token; signal-cli's clients, which never
// send it, work against a daemon without a token as they did against signal-cli.
import { AuthAttempts } from '../util/authAttempts.js';
import type { TokenCheck } from '../util/tokenCheck.js';
import { RpcError } from './protocol.js';

/** In JSON-RPC's range for implementation-defined server errors. */
export const AUTH_ERROR = -32001;
export const AUTH_METHOD = 'auth';

const HOW_TO = 'send {"jsonrpc":"2.0","method":"auth","params":{"token":"YOUR_TOKEN"},"id":1} first';

export class RpcAuthGate {
  private readonly attempts: AuthAttempts;

  constructor(check: TokenCheck | undefined, maxFailures: number) {
    this.attempts = new AuthAttempts(check, maxFailures);
  }

  get isOpen(): boolean {
    return this.attempts.isAuthenticated;
  }

  /** Too many failed attempts: the connection is to be closed once the refusal was written. */
  get exhausted(): boolean {
    return this.attempts.exhausted;
  }

  /** The `auth` method: `{token}` (or `[token]`). Throws AUTH_ERROR when the token is wrong. */
  authenticate(params: Record<string, unknown> | unknown[] | undefined): Record<string, never> {
    const token = Array.isArray(params) ? params[0] : params?.token;
    switch (this.attempts.present(token)) {
      case 'accepted':
        return {};
      case 'ignoredWhileIn':
        throw new RpcError(AUTH_ERROR, 'authentication failed: wrong token (this connection stays authenticated)');
      case 'refused':
        throw this.refusal(typeof token === 'string' ? 'authentication failed: wrong token' : 'authentication failed: auth needs params.token, the token as a string');
    }
  }

  /** Throws AUTH_ERROR unless the connection has authenticated. */
  admit(): void {
    if (!this.attempts.isAuthenticated) throw this.refusal(`authentication required: ${HOW_TO}`);
  }

  private refusal(why: string): RpcError {
    return new RpcError(AUTH_ERROR, why + this.attempts.fail().note);
  }
}
