// The servers a scenario compares, each a process of its own: the sigsock daemon and its floors
// (bench/sameWorkFloor.ts, bench/bareFloor.ts). All print `listening on tcp://…:PORT` on stderr.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startDaemon, waitForLog, spawnDaemon, type Daemon } from '../test/support/daemon.js';
import type { LinkedFixture } from '../test/support/harness.js';

export type Server = Daemon;
export type ServerKind = 'sigsock' | 'floor';

const LISTENING = /listening on tcp:\/\/[^\s]*:(\d+)/;
/** The authenticated chat connection is up (not the unauthenticated one). */
export const CHAT_CONNECTED = /(?<!unauthenticated )chat: connected/;

/** When the server says its chat connection came up (epoch ms, from the ISO time its log line starts with). */
export function chatConnectedAt(server: Server): number {
  const line = server.stderr().split('\n').find((l) => CHAT_CONNECTED.test(l));
  const at = Date.parse(line?.split(' ')[0] ?? '');
  if (Number.isNaN(at)) throw new Error(`no timed "chat: connected" line in:\n${server.stderr()}`);
  return at;
}

const script = (name: string) => fileURLToPath(new URL(`./${name}.js`, import.meta.url));

function spawnScript(name: string, args: string[], env?: NodeJS.ProcessEnv): Pick<LinkedFixture, 'spawn'> {
  return { spawn: () => spawn(process.execPath, [script(name), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } }) };
}

/** The daemon, or the store-less process doing the same protocol work; both connected to chat. */
export async function startServer(f: LinkedFixture, kind: ServerKind): Promise<Server> {
  const server =
    kind === 'sigsock' ? await startDaemon(f) : await spawnDaemon(spawnScript('sameWorkFloor', [f.dataDir, f.number, f.serverFile]), [], LISTENING);
  await waitForLog(server, CHAT_CONNECTED, 30_000);
  return server;
}

/** The bare JSON-lines server (with `libsignal`, loading libsignal as well). */
export function startBareFloor(libsignal = false): Promise<Server> {
  return spawnDaemon(spawnScript('bareFloor', libsignal ? ['--libsignal'] : []), [], LISTENING);
}

/** Starts the bare floor with libsignal and a chat connection as the account, on `port`: the start-up floor. */
export function spawnStartupFloor(port: number, serverFile: string, credentials: { user: string; password: string }): ChildProcess {
  return spawn(process.execPath, [script('bareFloor'), '--libsignal', '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, SIGSOCK_FLOOR_SERVER: serverFile, SIGSOCK_FLOOR_USER: credentials.user, SIGSOCK_FLOOR_PASSWORD: credentials.password },
  });
}

/**
 * Runs `measure` once per kind in each of `rounds` rounds, alternating which goes first, so drift
 * on this shared machine hits both alike; each run gets its own fresh process.
 */
export async function interleaved<T>(f: LinkedFixture, rounds: number, measure: (server: Server, kind: ServerKind) => Promise<T>): Promise<Record<ServerKind, T[]>> {
  const out: Record<ServerKind, T[]> = { sigsock: [], floor: [] };
  for (let round = 0; round < rounds; round++) {
    const order: ServerKind[] = round % 2 === 0 ? ['sigsock', 'floor'] : ['floor', 'sigsock'];
    for (const kind of order) {
      const server = await startServer(f, kind);
      try {
        out[kind].push(await measure(server, kind));
      } finally {
        await server.stop();
      }
    }
  }
  return out;
}
