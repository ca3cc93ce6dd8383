// A socket server on a free port over the fake engine, with clients that are closed afterwards.
import { startSocketServer, type SocketServer, type SocketServerOptions } from '../../src/socket/server.js';
import { FakeEngine } from './fakeEngine.js';
import { LineClient } from './lineClient.js';

export interface ServerContext {
  server: SocketServer;
  messenger: FakeEngine;
  /** A new client on the server's port, closed when the test ends. */
  client: () => Promise<LineClient>;
  /** The server's log lines so far (its debug lines are not among them). */
  logs: string[];
  /** Resolves once `count` lines of the log or the debug log match `pattern`. */
  untilLogged(pattern: RegExp, count?: number): Promise<void>;
}

export async function withServer(options: Partial<Omit<SocketServerOptions, 'messenger'>>, run: (ctx: ServerContext) => Promise<void>): Promise<void> {
  const messenger = new FakeEngine();
  const logs: string[] = [];
  const seen: string[] = [];
  const waiters = new Set<() => void>();
  const record = (line: string) => {
    seen.push(line);
    for (const wake of waiters) wake();
  };
  const untilLogged = (pattern: RegExp, count = 1) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (seen.filter((line) => pattern.test(line)).length < count) return;
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  const server = await startSocketServer({
    messenger,
    port: 0,
    log: (line) => {
      logs.push(line);
      record(line);
    },
    debug: record,
    ...options,
    limits: { shutdownGraceMs: 2000, ...options.limits },
  });
  const clients: LineClient[] = [];
  try {
    await run({
      server,
      messenger,
      logs,
      untilLogged,
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
