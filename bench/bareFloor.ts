// The bare floors: a Node JSON-lines server in a process of its own that answers every request
// line at once (`{command, statusCode: 0, messages: []}`), with nothing behind it. Plain, it is the
// floor for protocol overhead (server CPU per cheap request); with `--libsignal` it first loads
// libsignal, and with SIGSOCK_FLOOR_SERVER/USER/PASSWORD in the environment it also opens the
// authenticated chat connection as the daemon does: the floor for start-up (exec → first answered
// request, exec → "chat: connected").
//
// Usage: node dist/bench/bareFloor.js [--libsignal] [--port P]   (prints `listening on tcp://127.0.0.1:PORT`)
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

const withLibsignal = process.argv.includes('--libsignal');
const portArg = process.argv.indexOf('--port');
const port = portArg > 0 ? Number(process.argv[portArg + 1]) : 0;
if (withLibsignal) await import('@signalapp/libsignal-client');

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => {});
  createInterface({ input: socket }).on('line', (line) => {
    const req = JSON.parse(line) as { command?: string };
    socket.write(JSON.stringify({ command: req.command, statusCode: 0, messages: [] }) + '\n');
  });
}).listen(port, '127.0.0.1', () => {
  process.stderr.write(`listening on tcp://127.0.0.1:${(server.address() as { port: number }).port}\n`);
});

const { SIGSOCK_FLOOR_SERVER: serverFile, SIGSOCK_FLOOR_USER: user, SIGSOCK_FLOOR_PASSWORD: password } = process.env;
if (withLibsignal && serverFile && user && password) {
  const { loadServerConfig } = await import('../src/signal/serverConfig.js');
  const { createNet } = await import('../src/signal/net.js');
  await createNet(loadServerConfig(serverFile)).connectAuthenticatedChat(user, password, false, {
    // Never acked: anything queued for the account stays queued for the daemon.
    onIncomingMessage: () => {},
    onQueueEmpty: () => {},
    onConnectionInterrupted: () => {},
  });
  process.stderr.write(`${new Date().toISOString()} chat: connected\n`);
}
process.once('SIGTERM', () => process.exit(0));
