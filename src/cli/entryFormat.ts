// How `sigsock receive` prints an inbox entry. `--json` prints the socket protocol's messages[]
// entry, as documented, through the socket's own encoder: one definition of that shape, so the two
// cannot drift apart. The human line names a failure by the same status code.
import type { InboxEntry } from '../messenger/api.js';
import { unhandledKind } from '../messenger/inboxEntry.js';
import { encodeEntry } from '../socket/entryEncoder.js';

export interface EntryFormat {
  json: boolean;
  /** With `json`: attachments without their bytes. */
  ignoreAttachments: boolean;
}

/** One line, newline included. */
export function formatEntry(entry: InboxEntry, format: EntryFormat): string {
  if (format.json) return JSON.stringify(encodeEntry(entry, { attachmentData: !format.ignoreAttachments })) + '\n';
  switch (entry.kind) {
    case 'failure': {
      const wire = encodeEntry(entry, { attachmentData: false }) as { statusCode: number; errorMessage: string };
      return `[error ${wire.statusCode}] ${wire.errorMessage}\n`;
    }
    case 'message': {
      const from = entry.sender.e164 ?? entry.sender.aci;
      const where = entry.groupId ? ` in group ${entry.groupId}` : '';
      const parts = [];
      if (entry.body !== null) parts.push(entry.body);
      const r = entry.reaction;
      if (r) parts.push(`reacted ${r.remove ? '(removed) ' : ''}${r.emoji} to ${r.targetTimestamp}`);
      for (const a of entry.attachments) parts.push(`[attachment ${a.filename ?? ''} ${a.contentType ?? ''} ${a.size ?? '?'} bytes${a.error ? `: ${a.error}` : ''}]`);
      return `${entry.timestamp} ${from}${where}: ${parts.join(' ')}\n`;
    }
    default:
      return unhandledKind(entry);
  }
}
