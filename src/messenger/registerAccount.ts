// Registering a number as a new primary account, across two runs: `register` asks Signal for a
// code (remembering the verification session), `verify` submits it, stores the new account and
// uploads its one-time keys, so the account is ready for `socket` at once.
import { existsSync } from 'node:fs';
import type { AccountCredentials } from '../signal/accountCredentials.js';
import { createNet } from '../signal/net.js';
import { RegistrationError, registerWithCode, requestVerificationCode, type CodeSent, type VerificationTransport } from '../signal/registration.js';
import type { ServerConfig } from '../signal/serverConfig.js';
import type { TrustMode } from '../store/accountStore.js';
import { accountDbPath } from '../store/dataDirectory.js';
import { clearPendingRegistration, readPendingRegistration, savePendingRegistration } from '../store/pendingRegistration.js';
import type { Log } from '../util/log.js';
import { AccountMessenger } from './accountMessenger.js';
import { MessengerError } from './errors.js';
import { saveNewAccount } from './newAccount.js';

export interface RegistrationContext {
  dataDir: string;
  serverConfig: ServerConfig;
  number: string;
  trustMode: TrustMode;
  log: Log;
}

export async function startRegistration(ctx: RegistrationContext, request: { transport: VerificationTransport; captcha?: string }): Promise<CodeSent> {
  refuseExistingAccount(ctx);
  const server = serverIdentity(ctx.serverConfig);
  const found = readPendingRegistration(ctx.dataDir, ctx.number);
  // A session started on another server is useless here: start a new one (which replaces it).
  const pending = found && (found.server ?? server) === server ? found : null;
  return translatingRegistrationErrors(() => requestVerificationCode(
    createNet(ctx.serverConfig),
    { e164: ctx.number, transport: request.transport, captcha: request.captcha, sessionId: pending?.sessionId },
    (sessionId) => {
      if (sessionId !== pending?.sessionId) savePendingRegistration(ctx.dataDir, ctx.number, sessionId, server);
    },
  ));
}

export async function completeRegistration(ctx: RegistrationContext, code: string): Promise<AccountCredentials> {
  refuseExistingAccount(ctx);
  const pending = readPendingRegistration(ctx.dataDir, ctx.number);
  if (!pending) throw new MessengerError('REGISTRATION_REFUSED', `no registration of ${ctx.number} is in progress in ${ctx.dataDir}: run register first`);
  const server = serverIdentity(ctx.serverConfig);
  if (pending.server !== undefined && pending.server !== server) {
    throw new MessengerError(
      'REGISTRATION_REFUSED',
      `the registration of ${ctx.number} in progress was started on ${pending.server}, not on ${server}: nothing was sent. ` +
        'Run verify with the same --server-config that register had, or register again on this server',
    );
  }
  const account = await translatingRegistrationErrors(() => registerWithCode(createNet(ctx.serverConfig), ctx.number, pending.sessionId, code));
  saveNewAccount(ctx.dataDir, account, ctx.trustMode);
  clearPendingRegistration(ctx.dataDir, ctx.number);

  const messenger = AccountMessenger.open({ dataDir: ctx.dataDir, number: account.number, serverConfig: ctx.serverConfig, trustMode: ctx.trustMode, log: ctx.log });
  try {
    messenger.start();
    // One-time prekeys go up with the first connection; without them contacts could not start sessions.
    await messenger.whenMaintained(30_000);
  } finally {
    await messenger.stop();
  }
  return account;
}

/**
 * A server as a pending registration remembers it: production and staging by name, a local server
 * (the sandbox, tests) also by its chat port, since every sandbox network is called "sandbox".
 */
export function serverIdentity(config: ServerConfig): string {
  return config.kind === 'local' ? `the local server "${config.name}" (${config.chatHost}:${config.chatPort})` : `Signal ${config.name}`;
}

function refuseExistingAccount(ctx: RegistrationContext): void {
  const path = accountDbPath(ctx.dataDir, ctx.number);
  if (existsSync(path)) {
    throw new MessengerError(
      'REGISTRATION_REFUSED',
      `${ctx.number} already has an account in ${ctx.dataDir} (${path}); sigsock will not replace it. To register the number again, move that file away first`,
    );
  }
}

/** signal/'s registration failures in the engine's kinds; a captcha is its own, the CLI exits 3 on it. */
async function translatingRegistrationErrors<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof RegistrationError)) throw err;
    throw new MessengerError(err.failure === 'captcha-required' ? 'CAPTCHA_REQUIRED' : 'REGISTRATION_REFUSED', err.message, { cause: err });
  }
}
