// The auth token and TLS options, for every command that serves clients over the network (`socket`,
// `daemon`): read and checked before the account is opened, so a wrong file is reported at once.
import { isIP } from 'node:net';
import { loadTlsCredentials, type TlsCredentials } from '../util/tls.js';
import { readTokenFile, RECOMMENDED_TOKEN_LENGTH } from '../util/tokenFile.js';
import type { Log } from '../util/log.js';
import { UsageError, type CommandContext } from './command.js';

export const SECURITY_OPTIONS = {
  'auth-token-file': {
    type: 'string',
    valueName: 'FILE',
    description: 'require every connection to present the token in FILE (one line, mode 0600; e.g. openssl rand -hex 32 > FILE)',
  },
  'tls-cert': { type: 'string', valueName: 'FILE', description: 'serve TLS with this PEM certificate (chain); needs --tls-key' },
  'tls-key': { type: 'string', valueName: 'FILE', description: 'the PEM private key for --tls-cert' },
} as const;

export function readAuthToken(ctx: CommandContext, log: Log): string | undefined {
  const file = ctx.values['auth-token-file'] as string | undefined;
  if (file === undefined) return undefined;
  let token: string;
  try {
    token = readTokenFile(file);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (token.length < RECOMMENDED_TOKEN_LENGTH) {
    log(`warning: the auth token is only ${token.length} characters long; a random one of ${RECOMMENDED_TOKEN_LENGTH}+ (openssl rand -hex 32) cannot be guessed`);
  }
  return token;
}

export function readTls(ctx: CommandContext, path: string | undefined, log: Log): TlsCredentials | undefined {
  const cert = ctx.values['tls-cert'] as string | undefined;
  const key = ctx.values['tls-key'] as string | undefined;
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined || key === undefined) throw new UsageError('--tls-cert and --tls-key go together');
  if (path !== undefined) throw new UsageError('--tls-cert/--tls-key serve TLS over TCP; they cannot be used with --socket');
  try {
    return loadTlsCredentials(cert, key, log);
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** Anyone who can reach the daemon can read and send this account's messages unless it takes a token. */
export function warnAboutExposure(host: string, hasToken: boolean, hasTls: boolean, log: Log): void {
  if (isLoopback(host)) return;
  if (!hasToken) {
    log(
      `warning: listening on ${host}, which is not a loopback address, without --auth-token-file: anyone who can reach ` +
        `this port can read and send this account's messages. Add --auth-token-file FILE, or bind 127.0.0.1 and tunnel (ssh -L).`,
    );
  } else if (!hasTls) {
    log(
      `warning: listening on ${host} without TLS: the auth token and every message cross the network in clear text. ` +
        `Add --tls-cert/--tls-key, or use a VPN or an SSH tunnel.`,
    );
  }
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1' || bare === '0:0:0:0:0:0:0:1') return true;
  const v4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
