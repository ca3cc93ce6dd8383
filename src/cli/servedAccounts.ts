// What `daemon` and `jsonRpc` serve: the account given with -a, or, without -a (signal-cli's
// multi-account mode), every account of the data directory through the engine's account registry,
// each with its own connection and lock, plus those that finishLink or verify add while running.
import { registryAccounts } from '../jsonrpc/accounts.js';
import type { JsonRpcSettings } from '../jsonrpc/server.js';
import type { ReceivePolicy } from '../messenger/accountMessenger.js';
import { AccountRegistry } from '../messenger/accountRegistry.js';
import type { AccountEngine } from '../messenger/commands/index.js';
import { stderrLog, type Log } from '../util/log.js';
import { dataDirOf, openMessenger, serverConfigOf } from './accountSetup.js';
import type { CommandContext } from './command.js';
import { jsonRpcSettings, methodContextFor, receiveModeOf, servingSettings } from './jsonRpcOptions.js';

export interface ServedAccounts {
  settings: JsonRpcSettings;
  /** The one account's engine (`-a NUMBER`); undefined in multi-account mode. */
  engine?: AccountEngine;
  start(): void;
  stop(): Promise<void>;
}

export function isMultiAccount(ctx: CommandContext): boolean {
  return ctx.global.account === undefined;
}

/** Opens what the command serves; `engineLog` says whether the engines log to stderr. */
export function openServedAccounts(ctx: CommandContext, log: Log, engineLog: boolean, policy: ReceivePolicy = {}): ServedAccounts {
  if (!isMultiAccount(ctx)) {
    const engine = openMessenger(ctx, engineLog, { policy });
    return { settings: jsonRpcSettings(ctx, engine, log), engine, start: () => engine.start(), stop: () => engine.stop() };
  }
  const dataDir = dataDirOf(ctx);
  const registry = new AccountRegistry({ dataDir, serverConfig: serverConfigOf(ctx), trustMode: ctx.global.trustNewIdentities, log: stderrLog(engineLog), policy }).openAll();
  const accounts = registryAccounts(registry, (number, engine) => methodContextFor(engine, number, dataDir));
  const settings = { ...servingSettings({ receiveMode: receiveModeOf(ctx), ignoreAttachments: Boolean(ctx.values['ignore-attachments']), log }), accounts };
  log(`serving ${registry.numbers().length} account(s) of ${dataDir} (multi-account mode: requests name params.account)`);
  return { settings, start: () => registry.start(), stop: () => registry.stop() };
}
