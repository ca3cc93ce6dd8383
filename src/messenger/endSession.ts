// A contact's app ended its session with us (the "reset secure session" of older apps, an
// END_SESSION data message): the session with the device that sent it is archived, in the same batch
// as the envelope, so the next message from either side starts a fresh one, as Signal apps do.
import { ProtocolAddress, type SessionStore } from '@signalapp/libsignal-client';
import type { Log } from '../util/log.js';

export async function archiveSession(sessions: SessionStore, sender: { senderAci: string; senderDevice: number }, log: Log): Promise<void> {
  const address = ProtocolAddress.new(sender.senderAci, sender.senderDevice);
  try {
    const record = await sessions.getSession(address);
    if (!record) return;
    record.archiveCurrentState();
    await sessions.saveSession(address, record);
  } catch (err) {
    log(`receive: the session with ${sender.senderAci}.${sender.senderDevice} was not reset: ${err instanceof Error ? err.message : String(err)}`);
  }
}
