// A port in use, said so that the user can act: which option changes it, and a port free right now.
import { findFreePort, PortInUseError } from '../socket/portInUse.js';

export class PortAdvice extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PortAdvice';
  }
}

/** Runs `fn`; a PortInUseError from it becomes a PortAdvice naming `option` and a free port. */
export async function advisingOnPortInUse<T>(fn: () => Promise<T>, option = '--port'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof PortInUseError)) throw err;
    const free = await findFreePort(err.host, err.port).catch(() => undefined);
    const suggestion = free === undefined ? `choose another with ${option} PORT` : `choose another with ${option}, e.g. ${option} ${free} (free now)`;
    throw new PortAdvice(`${err.message}: ${suggestion}`, { cause: err });
  }
}
