// What the kernel says of the daemon's side of a TCP connection (Linux /proc/net/tcp{,6}): lets a
// test wait until the daemon really closed a connection instead of guessing with a sleep.
import { readFileSync } from 'node:fs';

const STATES: Record<string, string> = { '01': 'ESTABLISHED', '06': 'TIME_WAIT', '07': 'CLOSE', '08': 'CLOSE_WAIT', '09': 'LAST_ACK', '0A': 'LISTEN', '0B': 'CLOSING' };

/** The state of the socket whose local port is `localPort` and remote port `remotePort`, or null when there is none. */
export function tcpState(localPort: number, remotePort: number): string | null {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, remote, state] = line.trim().split(/\s+/);
      if (!local || !remote) continue;
      if (parseInt(local.split(':')[1], 16) === localPort && parseInt(remote.split(':')[1], 16) === remotePort) return STATES[state] ?? state;
    }
  }
  return null;
}

/**
 * Resolves once the daemon's side of the connection from `clientPort` is closed (gone, or waiting
 * for the last ACK); rejects with the state it is stuck in after `timeoutMs`.
 */
export async function closedByDaemon(daemonPort: number, clientPort: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = tcpState(daemonPort, clientPort);
    if (state === null || state === 'LAST_ACK' || state === 'CLOSE') return;
    if (Date.now() > deadline) throw new Error(`the daemon's side of the connection from port ${clientPort} is still ${state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
