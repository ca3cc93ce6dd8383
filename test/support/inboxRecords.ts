// Inbox entries for tests, in the store's format (store/inboxFormat.ts).
import type { MessageRecord } from '../../src/store/inboxFormat.js';

export const TEST_SENDER = { aci: '5e4d3c2b-0000-4000-8000-000000000001', e164: '+4915100000001' };

/** A text message from TEST_SENDER, as the inbox stores it. */
export function textRecord(body: string, timestamp = 1): MessageRecord {
  return { kind: 'message', sender: TEST_SENDER, timestamp, groupId: null, body, reaction: null };
}
