// A TCP port someone else listens on: a typed error where listen fails, and a free port to suggest.
import { createServer } from 'node:net';

export class PortInUseError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    options?: ErrorOptions,
  ) {
    super(`${host}:${port} is already in use (another sigsock, or another program, listens there)`, options);
    this.name = 'PortInUseError';
  }
}

export function isAddressInUse(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** Throws PortInUseError when `port` on `host` cannot be bound now; 0 (any port) always can. */
export async function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  try {
    await bindAndRelease(host, port);
  } catch (err) {
    if (isAddressInUse(err)) throw new PortInUseError(host, port, { cause: err });
    throw err;
  }
}

/** A port that is free on `host` now: the next few above `near` first (easy to remember), else any. */
export async function findFreePort(host: string, near: number): Promise<number> {
  for (let port = near + 1; port <= Math.min(near + 20, 65535); port++) {
    try {
      return await bindAndRelease(host, port);
    } catch {
      // taken (or not allowed): try the next one
    }
  }
  return bindAndRelease(host, 0);
}

function bindAndRelease(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => {
      const bound = (probe.address() as { port: number }).port;
      probe.close(() => resolve(bound));
    });
  });
}
