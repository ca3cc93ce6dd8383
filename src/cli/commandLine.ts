// A sigsock command line to print as a hint: it repeats the global options that choose the data
// directory and the server, so that copying it runs against the same account on the same server.
import type { GlobalOptions } from './command.js';

export function sigsockCommandLine(global: GlobalOptions, account: string | undefined, rest: string): string {
  const parts = ['sigsock'];
  if (global.configDir !== undefined) parts.push('--config', shellQuote(global.configDir));
  if (global.serverConfig !== undefined) parts.push('--server-config', shellQuote(global.serverConfig));
  // verify stores the trust mode with the new account.
  if (global.trustNewIdentities !== 'on-first-use') parts.push('--trust-new-identities', global.trustNewIdentities);
  if (account !== undefined) parts.push('-a', shellQuote(account));
  return `${parts.join(' ')} ${rest}`;
}

/** POSIX shell quoting, only where needed: paths with spaces or quotes still paste as one word. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
