// What `daemon` and `jsonRpc` share: signal-cli's options whose value may be left out
// (`--tcp`, `--tcp=HOST:PORT`, `--tcp HOST:PORT`), the receive mode, and the engine context.
import { join } from 'node:path';
import { AttachmentFiles } from '../jsonrpc/attachmentFiles.js';
import { RECEIVE_MODES, type ReceiveMode } from '../jsonrpc/receiving.js';
import type { JsonRpcSettings } from '../jsonrpc/server.js';
import type { MethodContext } from '../jsonrpc/methods/index.js';
import type { AccountEngine } from '../messenger/commands/index.js';
import { DEFAULT_LIMITS } from '../socket/limits.js';
import type { Log } from '../util/log.js';
import { dataDirOf, requireAccount } from './accountSetup.js';
import { UsageError, type CommandContext } from './command.js';

/** A marker value for "given without a value": replaced by the option's default. */
export const USE_DEFAULT = '\u0000default';

/** `--name` alone (or followed by another option) becomes `--name=<marker>`; `--name VALUE` stays. */
export function optionalValues(names: readonly string[]): (args: string[]) => string[] {
  return (args) => {
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i];
      if (arg === '--') {
        out.push(...args.slice(i));
        break;
      }
      const next = args[i + 1];
      const bare = arg.startsWith('--') && names.includes(arg.slice(2));
      out.push(bare && (next === undefined || next.startsWith('-')) ? `${arg}=${USE_DEFAULT}` : arg);
    }
    return out;
  };
}

export function receiveModeOf(ctx: CommandContext): ReceiveMode {
  const mode = (ctx.values['receive-mode'] as string | undefined) ?? 'on-start';
  if (!(RECEIVE_MODES as readonly string[]).includes(mode)) throw new UsageError(`--receive-mode must be one of ${RECEIVE_MODES.join(', ')}`);
  return mode as ReceiveMode;
}

export function jsonRpcSettings(ctx: CommandContext, engine: AccountEngine, log: Log): JsonRpcSettings {
  return jsonRpcSettingsFor({ engine, account: requireAccount(ctx), dataDir: dataDirOf(ctx), receiveMode: receiveModeOf(ctx), ignoreAttachments: Boolean(ctx.values['ignore-attachments']), log });
}

/** What JSON-RPC methods get for one account: its engine, number, and the data directory's attachments. */
export function methodContextFor(engine: AccountEngine, account: string, dataDir: string): MethodContext {
  return { engine, account, dataDir, attachments: new AttachmentFiles(join(dataDir, 'attachments')), maxAttachmentBytes: DEFAULT_LIMITS.maxAttachmentBytes };
}

/** The JSON-RPC front-end's settings for one account, with the socket protocol's limits. */
export function jsonRpcSettingsFor(account: { engine: AccountEngine; account: string; dataDir: string; receiveMode: ReceiveMode; ignoreAttachments: boolean; log: Log }): JsonRpcSettings {
  return { ...servingSettings(account), ctx: methodContextFor(account.engine, account.account, account.dataDir) };
}

/** Everything but the accounts: the receive mode, and the socket protocol's limits. */
export function servingSettings(options: { receiveMode: ReceiveMode; ignoreAttachments: boolean; log: Log }): Omit<JsonRpcSettings, 'ctx' | 'accounts'> {
  return {
    receiveMode: options.receiveMode,
    ignoreAttachments: options.ignoreAttachments,
    log: options.log,
    // A data: URI of the largest attachment, as base64, fits in one line.
    maxLineBytes: Math.ceil((DEFAULT_LIMITS.maxAttachmentBytes * 4) / 3) + 64 * 1024,
    maxPending: DEFAULT_LIMITS.maxPendingPerConnection,
    maxConnections: DEFAULT_LIMITS.maxConnections,
    shutdownGraceMs: DEFAULT_LIMITS.shutdownGraceMs,
  };
}

export const RECEIVE_OPTIONS = {
  'receive-mode': { type: 'string', valueName: 'MODE', description: 'on-start (default) or on-connection: every client is sent new messages as they come; manual: after subscribeReceive, or with receive' },
  'ignore-attachments': { type: 'boolean', description: 'do not store attachments as files; notifications describe them without an id' },
} as const;
