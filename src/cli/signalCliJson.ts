// signal-cli's `-o json` output: the same JSON shapes as its JSON-RPC answers, produced by sigsock's
// JSON-RPC front-end (one definition of each shape), printed on one line as signal-cli prints them.
import { join } from 'node:path';
import { AttachmentFiles } from '../jsonrpc/attachmentFiles.js';
import { encodeReceived } from '../jsonrpc/envelope.js';
import { METHODS } from '../jsonrpc/methods/index.js';
import { Params } from '../jsonrpc/params.js';
import { RpcError } from '../jsonrpc/protocol.js';
import type { InboxEntry } from '../messenger/api.js';
import { dataDirOf, requireAccount, withMessenger } from './accountSetup.js';
import type { CommandContext } from './command.js';
import { methodContextFor } from './jsonRpcOptions.js';

/**
 * Runs signal-cli's method `method` on the account and prints its result as signal-cli's `-o json`
 * does (or as `format` writes it, for a command whose plain output is the method's too).
 */
export function printMethodResult(
  ctx: CommandContext,
  method: keyof typeof METHODS,
  params: Record<string, unknown>,
  options: { online: boolean; format?: (result: unknown) => string },
): Promise<number> {
  return withMessenger(ctx, async (engine) => {
    if (options.online) engine.start();
    const methodCtx = methodContextFor(engine, requireAccount(ctx), dataDirOf(ctx));
    let result: unknown;
    try {
      result = await METHODS[method](Params.of(params, method), methodCtx);
    } catch (err) {
      // A send that reached nobody: signal-cli prints its results before the error.
      const response = err instanceof RpcError ? (err.data as { response?: unknown } | undefined)?.response : undefined;
      if (response !== undefined && !options.format) ctx.stdout.write(JSON.stringify(response) + '\n');
      throw err;
    }
    ctx.stdout.write(options.format ? options.format(result) : JSON.stringify(result) + '\n');
    return 0;
  });
}

/**
 * The command's options as its JSON-RPC method's params: signal-cli names them alike (`--group-id`
 * is `groupId`, and Params reads the dashed name), so only what differs is given in `params` —
 * positionals, and values the command line has as text (timestamps, booleans). sigsock's own
 * `--json` is no method parameter.
 */
export function optionsAsParams(ctx: CommandContext, params: Record<string, unknown>): Record<string, unknown> {
  const { json: _json, ...options } = ctx.values;
  return { ...options, ...params };
}

/** `receive -o json`: one `{envelope, account}` per line; attachments stored under DATA_DIR/attachments as the daemon does. */
export function signalCliReceiveLine(ctx: CommandContext, ignoreAttachments: boolean): (entry: InboxEntry) => string {
  const encoding = { account: requireAccount(ctx), attachments: ignoreAttachments ? null : new AttachmentFiles(join(dataDirOf(ctx), 'attachments')) };
  return (entry) => JSON.stringify(encodeReceived(entry, encoding)) + '\n';
}
