// A stored message's attachments hold its own files first, then the images of its sticker and link
// previews, which the stored parts name by index (dataMessageInterpreter.ts's `messageContent`):
// here each image goes back to the part it belongs to, and `attachments` keeps the message's own.
import type { PartsRecord } from '../store/inboxFormat.js';
import type { LinkPreview, MessageParts, ReceivedAttachment, Sticker } from './inboxEntry.js';

export function partsWithImages(
  record: Pick<PartsRecord, 'sticker' | 'previews' | 'viewOnce' | 'sharedContacts'>,
  stored: ReceivedAttachment[],
): Pick<MessageParts, 'attachments' | 'sticker' | 'previews' | 'viewOnce' | 'sharedContacts'> {
  const taken = new Set<number>();
  const image = (index: number | null): ReceivedAttachment | null => {
    if (index === null || !stored[index]) return null;
    taken.add(index);
    return stored[index];
  };
  const sticker: Sticker | null = record.sticker ? { ...record.sticker, image: image(record.sticker.image) } : null;
  const previews: LinkPreview[] = (record.previews ?? []).map((p) => ({ ...p, image: image(p.image) }));
  return {
    attachments: stored.filter((_, index) => !taken.has(index)),
    sticker,
    previews,
    viewOnce: record.viewOnce ?? false,
    sharedContacts: record.sharedContacts ?? [],
  };
}
