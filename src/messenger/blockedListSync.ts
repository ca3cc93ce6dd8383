// The block list as Signal devices of one account exchange it: a SyncMessage.Blocked naming
// numbers, ACIs (as text and as 16 bytes) and group ids. Read from the phone, and sent to it when
// the list changes here.
import { encodeContent, type SyncMessage } from '../proto/index.js';
import type { BlockedEntries } from '../store/blockList.js';
import { aciBinaryToString } from './serviceIds.js';

export type { BlockedEntries } from '../store/blockList.js';

/** What a received Blocked sync message lists, deduplicated; ACIs lowercase, group ids standard base64. */
export function blockedFromSync(blocked: NonNullable<SyncMessage['blocked']>): BlockedEntries {
  const acis = new Set<string>();
  for (const aci of blocked.acis ?? []) if (aci) acis.add(aci.toLowerCase());
  for (const binary of blocked.acisBinary ?? []) {
    if (binary?.length !== 16) continue;
    try {
      acis.add(aciBinaryToString(binary).toLowerCase());
    } catch {
      // Not a service id: a malformed entry names nobody.
    }
  }
  const numbers = new Set((blocked.numbers ?? []).filter((n) => n.startsWith('+')));
  const groupIds = new Set((blocked.groupIds ?? []).filter((g) => g?.length === 32).map((g) => Buffer.from(g).toString('base64')));
  return { acis: [...acis], numbers: [...numbers], groupIds: [...groupIds] };
}

export function blockedListContent(list: BlockedEntries): Uint8Array {
  return encodeContent({
    syncMessage: {
      blocked: {
        numbers: list.numbers,
        acis: list.acis,
        acisBinary: list.acis.map((aci) => uuidBytes(aci)),
        groupIds: list.groupIds.map((g) => Buffer.from(g, 'base64')),
      },
    },
  });
}

function uuidBytes(uuid: string): Uint8Array {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}
