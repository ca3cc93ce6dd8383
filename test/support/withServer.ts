// A socket server on a free port over the fake engine, with clients that are closed afterwards.
import { startSocketServer, type SocketServer, type SocketServerOptions } from '../../src/socket/server.js';
import { FakeEngine } from './fakeEngine.js';
import { LineClient } from './lineClient.js';

export interface ServerContext {
  server: SocketServer;
  messenger: FakeEngine;
  /** A new client on the server's port, closed when the test ends. */
  client: () => Promise<LineClient>;
  /** The server's log lines so far. */
  logs: string[];
}

export async function withServer(options: Partial<Omit<SocketServerOptions, 'messenger'>>, run: (ctx: ServerContext) => Promise<void>): Promise<void> {
  const messenger = new FakeEngine();
  const logs: string[] = [];
  const server = await startSocketServer({
    messenger,
    port: 0,
    log: (line) => logs.push(line),
    ...options,
    limits: { shutdownGraceMs: 2000, ...options.limits },
  });
  const clients: LineClient[] = [];
  try {
    await run({
      server,
      messenger,
      logs,
      client: async () => {
        const c = await LineClient.open(server.port!);
        clients.push(c);
        return c;
      },
    });
  } finally {
    for (const c of clients) c.close();
    await server.close();
  }
}
