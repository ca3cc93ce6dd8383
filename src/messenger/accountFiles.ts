// The data directory as front-ends see it: where it is, which accounts it holds, removing one,
// and which Signal service to talk to. Front-ends reach store/ and signal/ only through here.
import { loadServerConfig, type ServerConfig } from '../signal/serverConfig.js';
import { AccountStore, type TrustMode } from '../store/accountStore.js';
import { listAccounts as listAccountFiles, resolveDataDir } from '../store/dataDirectory.js';

export type { ServerConfig, TrustMode };

/** The given directory, else $XDG_DATA_HOME/sigsock (~/.local/share/sigsock). */
export function dataDirectory(explicit?: string): string {
  return resolveDataDir(explicit);
}

/** `production` (default), `staging`, or a server file as `sigsock sandbox network` writes. */
export function serverConfig(nameOrFile: string | undefined): ServerConfig {
  return loadServerConfig(nameOrFile);
}

/** The phone numbers with an account in `dataDir`. */
export function listAccounts(dataDir: string): string[] {
  return listAccountFiles(dataDir);
}

/** Deletes an account's database for good; the account must not be open (its lock is taken). */
export function removeAccountData(dataDir: string, number: string): void {
  AccountStore.remove(dataDir, number);
}
