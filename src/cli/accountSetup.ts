// What every account command needs first: the data directory, the server, the account.
import { resolveDataDir } from '../store/dataDirectory.js';
import { loadServerConfig, type ServerConfig } from '../signal/serverConfig.js';
import { AccountMessenger } from '../messenger/accountMessenger.js';
import { MessengerError } from '../messenger/errors.js';
import { stderrLog } from '../util/log.js';
import { UsageError, type CommandContext } from './command.js';

export function dataDirOf(ctx: CommandContext): string {
  return resolveDataDir(ctx.global.configDir);
}

export function serverConfigOf(ctx: CommandContext): ServerConfig {
  return loadServerConfig(ctx.global.serverConfig);
}

export function requireAccount(ctx: CommandContext): string {
  const account = ctx.global.account;
  if (!account) throw new UsageError('this command needs an account: sigsock -a +NUMBER ...');
  if (!/^\+[1-9]\d{6,14}$/.test(account)) throw new UsageError(`"${account}" is not a phone number in international format (+4915...)`);
  return account;
}

export function openMessenger(ctx: CommandContext, logEnabled = ctx.global.verbose, extra: { attachmentRetryWindowMs?: number } = {}): AccountMessenger {
  return AccountMessenger.open({
    dataDir: dataDirOf(ctx),
    number: requireAccount(ctx),
    serverConfig: serverConfigOf(ctx),
    trustMode: ctx.global.trustNewIdentities,
    log: stderrLog(logEnabled),
    ...extra,
  });
}

/**
 * Opens the account, runs `fn`, and always closes it again. A MessengerError (something the
 * user can act on) becomes its message on stderr and exit code 1.
 */
export async function withMessenger(ctx: CommandContext, fn: (messenger: AccountMessenger) => Promise<number>): Promise<number> {
  const messenger = openMessenger(ctx);
  try {
    return await fn(messenger);
  } catch (err) {
    if (err instanceof MessengerError) {
      ctx.stderr.write(`sigsock: ${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await messenger.stop();
  }
}

/** Resolves on the first SIGINT/SIGTERM; the returned function removes the handlers. */
export function untilSignal(): { promise: Promise<NodeJS.Signals>; dispose: () => void } {
  let resolve!: (s: NodeJS.Signals) => void;
  const promise = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const onInt = () => resolve('SIGINT');
  const onTerm = () => resolve('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
