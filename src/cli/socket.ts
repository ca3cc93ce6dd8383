import { DEFAULT_RETRY } from '../messenger/attachmentFetcher.js';
import { DEFAULT_LIMITS } from '../socket/limits.js';
import { startSocketServer } from '../socket/server.js';
import { stderrLog } from '../util/log.js';
import { openMessenger, untilSignal } from './accountSetup.js';
import { UsageError, type Command } from './command.js';
import { advisingOnPortInUse } from './portAdvice.js';
import { readAuthToken, readTls, SECURITY_OPTIONS, warnAboutExposure } from './securityOptions.js';
import { RECEIVE_POLICY_OPTIONS, receivePolicyOf } from './receivePolicy.js';

export const socketCommand: Command = {
  name: 'socket',
  summary: 'run the daemon: stay connected to Signal and serve the JSON socket protocol',
  usage: '-a +NUMBER socket [--host HOST] [--port PORT | --socket PATH] [--auth-token-file FILE] [--tls-cert FILE --tls-key FILE]\n         [--max-connections N] [--idle-timeout SEC] [--attachment-retry SEC]\n         [--receive-stories | --ignore-stories] [--send-read-receipts]',
  details: [
    'Clients send JSON commands (send_message, send_reaction, receive_messages, list_groups);',
    "try: echo \"{command:'receive_messages'}\" | socat -t 2 - TCP:localhost:6789",
    "With --auth-token-file, add the token to the first command: {command:'receive_messages', auth:'TOKEN'}",
    'or send {"command":"auth","token":"TOKEN"} first. See docs/security.md.',
    'Runs until SIGINT or SIGTERM. Received messages wait in the encrypted store until a client takes them.',
  ].join('\n'),
  options: {
    host: { type: 'string', valueName: 'HOST', description: 'address to listen on (default 127.0.0.1)' },
    port: { type: 'string', short: 'p', valueName: 'PORT', description: 'TCP port (default 6789)' },
    socket: { type: 'string', valueName: 'PATH', description: 'listen on a Unix domain socket instead of TCP (created 0600)' },
    ...SECURITY_OPTIONS,
    'max-connections': {
      type: 'string',
      valueName: 'N',
      description: `open connections at most; more are refused with an error line (default ${DEFAULT_LIMITS.maxConnections})`,
    },
    'idle-timeout': {
      type: 'string',
      valueName: 'SEC',
      description: `close a connection idle this long; a waiting receive_messages is not idle; 0 = never (default ${DEFAULT_LIMITS.idleTimeoutMs / 1000})`,
    },
    'attachment-retry': {
      type: 'string',
      valueName: 'SEC',
      description: `retry an attachment download through network failures this long before delivering its message with an error; later messages wait meanwhile (default ${DEFAULT_RETRY.windowMs / 1000})`,
    },
    ...RECEIVE_POLICY_OPTIONS,
  },
  async run(ctx) {
    const port = ctx.values.port === undefined ? 6789 : Number(ctx.values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a TCP port number');
    const host = (ctx.values.host as string | undefined) ?? '127.0.0.1';
    const path = ctx.values.socket as string | undefined;
    const maxConnections = wholeNumber(ctx.values['max-connections'], '--max-connections', 1);
    const idleTimeoutSec = wholeNumber(ctx.values['idle-timeout'], '--idle-timeout', 0);
    const attachmentRetrySec = wholeNumber(ctx.values['attachment-retry'], '--attachment-retry', 0);
    const log = stderrLog(true);
    // Everything that can be wrong with the options is found before the account is opened.
    const authToken = readAuthToken(ctx, log);
    const tls = readTls(ctx, path, log);
    if (!path) warnAboutExposure(host, authToken !== undefined, tls !== undefined, log);

    const messenger = openMessenger(ctx, true, { attachmentRetryWindowMs: attachmentRetrySec === undefined ? undefined : attachmentRetrySec * 1000, policy: receivePolicyOf(ctx) });
    const signals = untilSignal();
    try {
      messenger.start();
      const server = await advisingOnPortInUse(() => startSocketServer({
        messenger,
        host,
        port,
        path,
        log,
        authToken,
        tls,
        limits: { maxConnections, idleTimeoutMs: idleTimeoutSec === undefined ? undefined : idleTimeoutSec * 1000 },
      }));
      if (authToken !== undefined) log('clients must authenticate with the token from --auth-token-file');
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

function wholeNumber(value: unknown, option: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${option} must be a whole number of at least ${min}`);
  }
  return n;
}
