// Linking as a new device of an existing account, end to end: provisioning, the account's
// first store, key upload, and the first contact sync, so the account is usable at once.
import { createNet } from '../signal/net.js';
import { linkDevice, type LinkedAccount } from '../signal/linking.js';
import { linkUsernameOf, type ServerConfig } from '../signal/serverConfig.js';
import type { TrustMode } from '../store/accountStore.js';
import type { Log } from '../util/log.js';
import { AccountMessenger } from './accountMessenger.js';
import { saveNewAccount } from './newAccount.js';

export interface LinkAccountOptions {
  dataDir: string;
  serverConfig: ServerConfig;
  deviceName: string | Promise<string>;
  trustMode: TrustMode;
  onLinkUri: (uri: string) => void;
  signal?: AbortSignal;
  log: Log;
  /** How long to wait for the phone's contact list after linking. */
  contactSyncTimeoutMs?: number;
}

export async function linkAccount(options: LinkAccountOptions): Promise<LinkedAccount> {
  const net = createNet(options.serverConfig);
  const linked = await linkDevice(net, {
    deviceName: options.deviceName,
    onLinkUri: options.onLinkUri,
    signal: options.signal,
    linkUsername: linkUsernameOf(options.serverConfig),
  });
  saveNewAccount(options.dataDir, linked, options.trustMode);

  const messenger = AccountMessenger.open({
    dataDir: options.dataDir,
    number: linked.number,
    serverConfig: options.serverConfig,
    trustMode: options.trustMode,
    log: options.log,
  });
  try {
    messenger.start();
    await messenger.whenMaintained(30_000);
    await messenger.waitForContactSync(options.contactSyncTimeoutMs ?? 10_000);
    await messenger.drained(2_000);
  } finally {
    await messenger.stop();
  }
  return linked;
}
