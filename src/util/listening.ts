// Listening on TCP or a private Unix socket, for every front-end that serves clients: a Unix socket
// is created 0600 (never reachable by other users, not even between bind and chmod), a stale one
// left by a daemon that died is replaced, and a live daemon's is never taken over.
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { createConnection, type Server } from 'node:net';

/** Resolves once `server` listens at `where`; rejects with the listen error (e.g. EADDRINUSE). */
export function listening(server: Server, where: { host?: string; port?: number; path?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Listens on the Unix socket `path`, created 0600, after removing a stale socket file there. */
export async function listeningPrivately(server: Server, path: string): Promise<void> {
  await removeStaleSocket(path);
  const previousMask = process.umask(0o177);
  try {
    await listening(server, { path });
  } finally {
    process.umask(previousMask);
  }
  chmodSync(path, 0o600);
}

/** A socket file left by a daemon that died is removed; one a live daemon listens on is not. */
async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return;
  }
  if (!isSocket) throw new Error(`${path} exists and is not a socket; refusing to replace it`);
  const alive = await new Promise<boolean>((resolve) => {
    const probe = createConnection({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
  if (alive) throw new Error(`another process is already listening on ${path}`);
  unlinkSync(path);
}

/** Removes our socket file at shutdown, if it is still ours to remove. */
export function removeSocketFile(path: string): void {
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Already gone.
  }
}
