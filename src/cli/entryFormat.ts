// How `sigsock receive` prints an inbox entry. `--json` prints the socket protocol's messages[]
// entry, as documented, through the socket's own encoder: one definition of that shape, so the two
// cannot drift apart. The human line names a failure by the same status code.
import type { InboxEntry } from '../messenger/api.js';
import { unhandledKind } from '../messenger/inboxEntry.js';
import { encodeAnswer, type AnswerPiece } from '../socket/answerEncoder.js';
import { encodeEntry, encodeGroupChange } from '../socket/entryEncoder.js';

export interface EntryFormat {
  json: boolean;
  /** With `json`: attachments without their bytes. */
  ignoreAttachments: boolean;
}

/**
 * formatEntry as pieces to write: with --json, attachment bytes stay pieces of their own, read and
 * written as base64 slice by slice (socket/answerEncoder.ts), so a large one is never whole in memory.
 */
export function formatEntryPieces(entry: InboxEntry, format: EntryFormat): AnswerPiece[] {
  return format.json ? encodeAnswer(encodeEntry(entry, { attachmentData: !format.ignoreAttachments })) : [formatEntry(entry, format)];
}

/** One line, newline included. */
export function formatEntry(entry: InboxEntry, format: EntryFormat): string {
  if (format.json) return JSON.stringify(encodeEntry(entry, { attachmentData: !format.ignoreAttachments })) + '\n';
  switch (entry.kind) {
    case 'failure': {
      const wire = encodeEntry(entry, { attachmentData: false }) as { statusCode: number; errorMessage: string };
      return `[error ${wire.statusCode}] ${wire.errorMessage}\n`;
    }
    case 'message':
    case 'edit': {
      const parts = [];
      if (entry.kind === 'message' && entry.messageRequest) parts.push('[message request]');
      if (entry.kind === 'edit') parts.push(`(edit of ${entry.targetTimestamp})`);
      if (entry.quote) parts.push(`(reply to ${entry.quote.targetTimestamp})`);
      if (entry.body !== null) parts.push(entry.body);
      const r = entry.reaction;
      if (r) parts.push(`reacted ${r.remove ? '(removed) ' : ''}${r.emoji} to ${r.targetTimestamp}`);
      for (const a of entry.attachments) parts.push(`[attachment ${a.filename ?? ''} ${a.contentType ?? ''} ${a.size ?? '?'} bytes${a.error ? `: ${a.error}` : ''}]`);
      if (entry.viewOnce) parts.push('(view once)');
      if (entry.sticker) parts.push(`[sticker ${entry.sticker.emoji ?? ''} ${entry.sticker.packId}:${entry.sticker.stickerId}]`);
      for (const p of entry.previews) parts.push(`[preview ${p.url}${p.title ? ` "${p.title}"` : ''}]`);
      for (const c of entry.sharedContacts) parts.push(`[contact ${[c.name.given, c.name.family].filter(Boolean).join(' ')} ${c.phone.map((f) => f.value).join(', ')}]`);
      return line(entry, parts.join(' '));
    }
    case 'remoteDelete':
      return line(entry, `deleted ${entry.targetTimestamp}`);
    case 'timerChange':
      return line(entry, `set the disappearing-message timer to ${entry.expiresInSeconds} s`);
    case 'receipt':
      return line(entry, `${entry.receipt} receipt for ${entry.targetTimestamps.join(', ')}`);
    case 'typing':
      return line(entry, `typing ${entry.action}`);
    case 'groupChange':
      return line(entry, `changed the group (revision ${entry.revision}): ${JSON.stringify(encodeGroupChange(entry))}`);
    case 'readSync':
      return line(entry, `${entry.receipt} on another device: ${entry.messages.map((m) => m.timestamp).join(', ')}`);
    case 'call':
      return line(entry, `call ${entry.event}${entry.media ? ` (${entry.media})` : ''}${entry.hangup ? ` (${entry.hangup})` : ''}`);
    case 'payment':
      return line(entry, `payment notification${entry.note ? `: ${entry.note}` : ''}`);
    case 'story':
      return line(entry, `story${entry.text !== null ? `: ${entry.text}` : ''}${entry.attachments.length ? ` [${entry.attachments[0]!.contentType ?? 'file'}]` : ''}`);
    case 'unsupported':
      return line(entry, `[${entry.contentKind}: not supported by sigsock]`);
    default:
      return unhandledKind(entry);
  }
}

function line(entry: Exclude<InboxEntry, { kind: 'failure' }>, text: string): string {
  const from = `${entry.sender.e164 ?? entry.sender.aci}${entry.sender.name ? ` (${entry.sender.name})` : ''}`;
  const to = 'destination' in entry && entry.destination ? ` to ${entry.destination.e164 ?? entry.destination.aci}` : '';
  const where = 'groupId' in entry && entry.groupId ? ` in group ${entry.groupId}` : '';
  return `${entry.timestamp} ${from}${to}${where}: ${text}\n`;
}
