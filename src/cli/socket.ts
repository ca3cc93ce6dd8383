import { startSocketServer } from '../socket/server.js';
import { stderrLog } from '../util/log.js';
import { openMessenger, untilSignal } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

export const socketCommand: Command = {
  name: 'socket',
  aliases: ['daemon'],
  summary: 'run the daemon: stay connected to Signal and serve the JSON socket protocol',
  usage: '-a +NUMBER socket [--host HOST] [--port PORT | --socket PATH]',
  details: [
    'Clients send JSON commands (send_message, send_reaction, receive_messages, list_groups);',
    "try: echo \"{command:'receive_messages'}\" | socat -t 2 - TCP:localhost:6789",
    'Runs until SIGINT or SIGTERM. Received messages wait in the encrypted store until a client takes them.',
  ].join('\n'),
  options: {
    host: { type: 'string', valueName: 'HOST', description: 'address to listen on (default 127.0.0.1)' },
    port: { type: 'string', short: 'p', valueName: 'PORT', description: 'TCP port (default 6789)' },
    socket: { type: 'string', valueName: 'PATH', description: 'listen on a Unix domain socket instead of TCP (created 0600)' },
  },
  async run(ctx) {
    const port = ctx.values.port === undefined ? 6789 : Number(ctx.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a TCP port number');
    const host = (ctx.values.host as string | undefined) ?? '127.0.0.1';
    const log = stderrLog(true);
    if (!isLoopback(host) && !ctx.values.socket) {
      log(`warning: listening on ${host}, which is not a loopback address: anyone who can reach it can use this account`);
    }
    const messenger = openMessenger(ctx, true);
    const signals = untilSignal();
    try {
      messenger.start();
      const server = await startSocketServer({
        messenger,
        host,
        port,
        path: ctx.values.socket as string | undefined,
        log,
      });
      const signal = await signals.promise;
      log(`${signal}: shutting down`);
      await server.close();
      return 0;
    } finally {
      signals.dispose();
      await messenger.stop();
    }
  },
};

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
