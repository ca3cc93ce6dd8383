// Naming the senders of the entries a client takes: the owner's name for them (or their profile
// name), and their phone number when the entry was stored before the account learned it (a message
// that arrived before the phone's contact list, or sealed from a sender known by ACI only).
import type { InboxLease } from './api.js';
import type { Party } from './inboxEntry.js';

/** What the account knows of a sender now; null fields when it knows nothing. */
export interface SenderDetails {
  name: string | null;
  e164: string | null;
}

/** The lease with each sender named as the owner knows them (never this account itself). */
export function withSenderDetails(lease: InboxLease, selfAci: string, detailsOf: (aci: string) => SenderDetails): InboxLease {
  const known = new Map<string, SenderDetails>();
  const entries = lease.entries.map((entry) => {
    if (!('sender' in entry) || entry.sender.aci === selfAci) return entry;
    const aci = entry.sender.aci;
    if (!known.has(aci)) known.set(aci, detailsOf(aci));
    const { name, e164 } = known.get(aci)!;
    if (!name && (entry.sender.e164 !== null || e164 === null)) return entry;
    const sender: Party = { ...entry.sender, e164: entry.sender.e164 ?? e164 };
    if (name) sender.name = name;
    return { ...entry, sender };
  });
  return { entries, commit: () => lease.commit(), release: () => lease.release() };
}
