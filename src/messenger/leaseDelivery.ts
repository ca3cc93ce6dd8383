// The one rule of handing out received entries, for every front-end: write the answer that carries
// a lease, and only once that write completed delete what it carried; if it failed (the reader went
// away, the pipe broke), give the entries back to the queue.
import type { InboxLease } from './api.js';

/**
 * The settling function for `lease`: `true` commits it (the write completed), `false` releases it.
 * Only the first call counts, so a write callback and a connection's close may both report.
 */
export function leaseSettler(lease: InboxLease | undefined, onSettled?: () => void): (written: boolean) => void {
  let settled = false;
  return (written) => {
    if (settled || !lease) return;
    settled = true;
    onSettled?.();
    if (written) lease.commit();
    else lease.release();
  };
}

/**
 * Runs `write` (which resolves true once the bytes were taken whole, false or a rejection when
 * they were not) and settles `lease` by its outcome. Resolves with that outcome.
 */
export async function deliverLease(lease: InboxLease, write: () => Promise<boolean>): Promise<boolean> {
  const settle = leaseSettler(lease);
  let written = false;
  try {
    written = await write();
  } finally {
    settle(written);
  }
  return written;
}
