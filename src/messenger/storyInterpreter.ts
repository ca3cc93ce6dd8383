// A story as an entry, for a daemon that asked for stories: its text (a text story) or its file (as
// the entry's one attachment), the group it was posted to, whether replies are allowed. Pure.
import { encodeAttachmentPointer, type StoryMessage } from '../proto/index.js';
import type { InterpretedEntry } from './contentInterpreter.js';
import { groupOf } from './dataMessageInterpreter.js';
import type { Party } from './inboxEntry.js';

export function interpretStory(story: StoryMessage, sender: Party, timestamp: number): InterpretedEntry {
  const file = story.fileAttachment;
  const groupId = story.group ? (groupOf({ groupV2: story.group })?.groupId ?? null) : null;
  return {
    value: { kind: 'story', sender, timestamp, groupId, text: story.textAttachment?.text ?? null, allowsReplies: story.allowsReplies ?? false },
    attachments: file ? [{ pointer: encodeAttachmentPointer(file), filename: file.fileName ?? null, contentType: file.contentType ?? null, size: file.size ?? null }] : [],
  };
}
