// `sigsock -a ACCOUNT jsonRpc`: signal-cli's JSON-RPC on stdin/stdout, for programs that spawn it.
import { serveStdio } from '../jsonrpc/server.js';
import { stderrLog } from '../util/log.js';
import { untilSignal } from './accountSetup.js';
import type { Command } from './command.js';
import { RECEIVE_OPTIONS } from './jsonRpcOptions.js';
import { openServedAccounts } from './servedAccounts.js';
import { RECEIVE_POLICY_OPTIONS, receivePolicyOf } from './receivePolicy.js';

export const jsonRpcCommand: Command = {
  name: 'jsonRpc',
  summary: "serve signal-cli's JSON-RPC on stdin/stdout (for programs that spawn signal-cli)",
  usage: '[-a +NUMBER] jsonRpc [--receive-mode on-start|on-connection|manual] [--ignore-attachments] [--receive-stories | --ignore-stories] [--send-read-receipts]',
  details: 'One request per line in, responses and receive notifications out. Ends when stdin ends. Without -a: every account of the data directory (multi-account mode). See docs/jsonrpc.md.',
  // Its output is JSON-RPC: `-o json` (which tools pass to signal-cli) changes nothing.
  jsonOutput: true,
  options: { ...RECEIVE_OPTIONS, ...RECEIVE_POLICY_OPTIONS },
  async run(ctx) {
    const log = stderrLog(ctx.global.verbose);
    const served = openServedAccounts(ctx, log, ctx.global.verbose, receivePolicyOf(ctx));
    const { settings } = served;
    const signals = untilSignal();
    try {
      served.start();
      const session = serveStdio(settings);
      const signal = await Promise.race([session.done.then(() => null), signals.promise]);
      if (signal) await session.shutdown(settings.shutdownGraceMs);
      return 0;
    } finally {
      signals.dispose();
      await served.stop();
    }
  },
};
