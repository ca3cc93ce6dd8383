// What every account command needs first: the data directory, the server, the account; and how an
// engine command's parameters and failures become usage errors and exit codes.
import { AccountMessenger, type ReceivePolicy } from '../messenger/accountMessenger.js';
import { dataDirectory, listAccounts, serverConfig, type ServerConfig } from '../messenger/accountFiles.js';
import { InvalidCommandError, type AccountEngine, type CommandArguments, type CommandDeclaration, type DataDirectoryEnvironment } from '../messenger/commands/index.js';
import { isE164 } from '../messenger/commands/validation.js';
import { MessengerError } from '../messenger/errors.js';
import { DEFAULT_LIMITS } from '../socket/limits.js';
import { stderrLog } from '../util/log.js';
import { UsageError, type CommandContext } from './command.js';
import { startedThroughNpx, watchLauncher } from './parentWatch.js';

/** Exit status when Signal wants a captcha, so a script can tell it from other failures. */
export const EXIT_CAPTCHA_REQUIRED = 3;

export function dataDirOf(ctx: CommandContext): string {
  return dataDirectory(ctx.global.configDir);
}

export function serverConfigOf(ctx: CommandContext): ServerConfig {
  return serverConfig(ctx.global.serverConfig);
}

/**
 * `-a NUMBER`; without it, as signal-cli: the data directory's account when it holds exactly one
 * (not for register and verify, whose number is a new one).
 */
export function requireAccount(ctx: CommandContext, mayBeImplicit = true): string {
  const account = ctx.global.account ?? (mayBeImplicit ? onlyAccount(ctx) : undefined);
  if (!account) throw new UsageError('this command needs an account: sigsock -a +NUMBER ...');
  if (!isE164(account)) throw new UsageError(`"${account}" is not a phone number in international format (+4915...)`);
  return account;
}

function onlyAccount(ctx: CommandContext): string {
  const numbers = listAccounts(dataDirOf(ctx));
  if (numbers.length === 1) return numbers[0];
  const held = numbers.length === 0 ? 'it holds none' : `it holds ${numbers.length}`;
  throw new UsageError(`this command needs an account: sigsock -a +NUMBER ... (-a may be left out only when the data directory has exactly one account; ${held})`);
}

/** For commands that run on the data directory rather than an open account. */
export function environmentOf(ctx: CommandContext): DataDirectoryEnvironment {
  return { dataDir: dataDirOf(ctx), serverConfig: serverConfigOf(ctx), trustMode: ctx.global.trustNewIdentities, log: stderrLog(ctx.global.verbose) };
}

/** A command's arguments checked by the engine; what is wrong with them is a usage error (exit 2). */
export function parseArguments<P>(declaration: CommandDeclaration<never, P, unknown, never>, args: CommandArguments): P {
  try {
    return declaration.parse(args, { maxAttachmentBytes: DEFAULT_LIMITS.maxAttachmentBytes });
  } catch (err) {
    if (err instanceof InvalidCommandError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
}

export function openMessenger(ctx: CommandContext, logEnabled = ctx.global.verbose, extra: { attachmentRetryWindowMs?: number; policy?: ReceivePolicy } = {}): AccountEngine {
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
 * Runs `fn`; a MessengerError (something the user can act on) becomes its message on stderr and
 * an exit code: the one place the CLI translates the engine's error kinds.
 */
export async function reportingFailures(ctx: CommandContext, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof MessengerError)) throw err;
    ctx.stderr.write(`sigsock: ${err.message}\n`);
    return err.kind === 'CAPTCHA_REQUIRED' ? EXIT_CAPTCHA_REQUIRED : 1;
  }
}

/** Opens the account, runs `fn`, and always closes it again; failures reported as above. */
export async function withMessenger(ctx: CommandContext, fn: (messenger: AccountEngine) => Promise<number>): Promise<number> {
  const messenger = openMessenger(ctx);
  try {
    return await reportingFailures(ctx, () => fn(messenger));
  } finally {
    await messenger.stop();
  }
}

/**
 * Resolves on the first SIGINT/SIGTERM, or when the npx process that started this one is gone
 * (see parentWatch.ts), with what to log; the returned function removes the handlers.
 */
export function untilSignal(): { promise: Promise<string>; dispose: () => void } {
  let resolve!: (s: string) => void;
  const promise = new Promise<string>((r) => (resolve = r));
  const onInt = () => resolve('SIGINT');
  const onTerm = () => resolve('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  const stopWatching = startedThroughNpx() ? watchLauncher(() => resolve('the npx process that started sigsock has exited')) : () => {};
  return {
    promise,
    dispose: () => {
      stopWatching();
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    },
  };
}
