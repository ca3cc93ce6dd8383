// `sigsock -a ACCOUNT jsonRpc`: signal-cli's JSON-RPC on stdin/stdout, for programs that spawn it.
import { serveStdio } from '../jsonrpc/server.js';
import { stderrLog } from '../util/log.js';
import { openMessenger, untilSignal } from './accountSetup.js';
import type { Command } from './command.js';
import { jsonRpcSettings, RECEIVE_OPTIONS } from './jsonRpcOptions.js';
import { RECEIVE_POLICY_OPTIONS, receivePolicyOf } from './receivePolicy.js';

export const jsonRpcCommand: Command = {
  name: 'jsonRpc',
  summary: "serve signal-cli's JSON-RPC on stdin/stdout (for programs that spawn signal-cli)",
  usage: '-a +NUMBER jsonRpc [--receive-mode on-start|on-connection|manual] [--ignore-attachments] [--receive-stories] [--send-read-receipts]',
  details: 'One request per line in, responses and receive notifications out. Ends when stdin ends. See docs/jsonrpc.md.',
  options: { ...RECEIVE_OPTIONS, ...RECEIVE_POLICY_OPTIONS },
  async run(ctx) {
    const log = stderrLog(ctx.global.verbose);
    const engine = openMessenger(ctx, ctx.global.verbose, { policy: receivePolicyOf(ctx) });
    const settings = jsonRpcSettings(ctx, engine, log);
    const signals = untilSignal();
    try {
      engine.start();
      const session = serveStdio(settings);
      const signal = await Promise.race([session.done.then(() => null), signals.promise]);
      if (signal) await session.shutdown(settings.shutdownGraceMs);
      return 0;
    } finally {
      signals.dispose();
      await engine.stop();
    }
  },
};
