// What a CallMessage tells a bot: someone calls, answered, is busy or hung up. The rest of call
// signalling (ICE candidates, group-call rings and other opaque payloads) is for a device that takes
// calls, which sigsock is not: handled, not shown. Pure.
import type { CallMessage } from '../proto/index.js';
import type { CallEvent, Party } from './inboxEntry.js';

const HANGUPS: Record<number, NonNullable<CallEvent['hangup']>> = { 0: 'normal', 1: 'accepted', 2: 'declined', 3: 'busy', 4: 'needPermission' };

/** The event; null for signalling not shown; 'unknown' for a call message with nothing sigsock reads. */
export function interpretCall(call: CallMessage, sender: Party, timestamp: number): CallEvent | null | 'unknown' {
  const base = { kind: 'call', sender, timestamp, media: null, hangup: null } as const;
  if (call.offer) return { ...base, event: 'offer', callId: call.offer.id ?? null, media: call.offer.type === 1 ? 'video' : 'audio' };
  if (call.answer) return { ...base, event: 'answer', callId: call.answer.id ?? null };
  if (call.busy) return { ...base, event: 'busy', callId: call.busy.id ?? null };
  if (call.hangup) return { ...base, event: 'hangup', callId: call.hangup.id ?? null, hangup: HANGUPS[call.hangup.type ?? 0] ?? 'normal' };
  if (call.iceUpdate?.length || call.opaque) return null;
  return 'unknown';
}
