// The phone's contact list, as sent in a contact sync: a stream of length-prefixed ContactDetails,
// each followed by its avatar bytes. We keep number ↔ ACI and profile keys, skip the avatars.
import { decodeContactDetails } from '../proto/index.js';

export interface SyncedContact {
  aci: string;
  e164: string | null;
  name: string | null;
  profileKey: Uint8Array | null;
  /** The conversation's disappearing timer (seconds); null when the phone did not say. */
  expireTimer: number | null;
  /** Its version (newer phones); null when the phone did not say. */
  expireTimerVersion: number | null;
}

export function parseContactStream(stream: Uint8Array): SyncedContact[] {
  const out: SyncedContact[] = [];
  let offset = 0;
  while (offset < stream.length) {
    const [length, afterLength] = readVarint(stream, offset);
    const end = afterLength + length;
    if (end > stream.length) throw new Error('contact sync stream is truncated');
    const details = decodeContactDetails(stream.subarray(afterLength, end));
    offset = end + (details.avatar?.length ?? 0);
    const aci = details.aci ?? (details.aciBinary?.length === 16 ? uuidString(details.aciBinary) : null);
    if (!aci) continue;
    out.push({
      aci: aci.toLowerCase(),
      e164: details.number || null,
      name: details.name || null,
      profileKey: details.profileKey?.length === 32 ? details.profileKey : null,
      expireTimer: details.expireTimer ?? null,
      expireTimerVersion: details.expireTimerVersion || null,
    });
  }
  return out;
}

function readVarint(bytes: Uint8Array, start: number): [number, number] {
  let value = 0;
  let shift = 0;
  for (let i = start; i < bytes.length && shift < 35; i++) {
    value += (bytes[i] & 0x7f) * 2 ** shift;
    if ((bytes[i] & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  throw new Error('contact sync stream has a bad length prefix');
}

function uuidString(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
