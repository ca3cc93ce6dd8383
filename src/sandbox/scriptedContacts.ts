// The sandbox's people. Echo behaves as a Signal app and answers what it gets: every text with the
// same text (quoting the message when that message quoted something; its mentions, styles and link
// previews too), every
// attachment (same pointer: same bytes, name and type; view-once stays view-once), every sticker,
// 👍 to every message that shows something (not to a remote delete or a timer change); an edit with
// an edit of its own earlier reply; a delivery and a read receipt for each message and edit; all of
// that inside the Sandbox group when written there. As a Signal app does, it adopts the
// conversation's disappearing timer from what arrives and sends its profile key with every message,
// so its profile name can be read. Greeter says hello once, right after start, with its profile key.
import { EMPTY_DATA_MESSAGE, ReceiptType, type Device, type Group, type PrimaryDevice } from '@signalapp/mock-server';
import type { Log } from '../util/log.js';

type MessageEntry = Awaited<ReturnType<PrimaryDevice['waitForMessage']>>;
type EditEntry = Awaited<ReturnType<PrimaryDevice['waitForEditMessage']>>;
type MockDataMessage = MessageEntry['dataMessage'];

export interface EchoOptions {
  echo: PrimaryDevice;
  group: Group | null;
  log: Log;
}

/** How many of its replies Echo remembers, to edit them when their message is edited. */
const REMEMBERED_REPLIES = 1000;

/** Runs until `stop()`; a failed answer is logged and the loops go on. */
export function runEcho({ echo, group, log }: EchoOptions): { stop(): void } {
  let stopped = false;
  const conversation: Conversation = { profileKey: new Uint8Array(echo.profileKey.serialize()), timers: new Map() };
  /** Echo's text reply to a message, by the message's author and sent timestamp. */
  const replies = new Map<string, number>();
  const remember = (key: string, reply: number) => {
    replies.set(key, reply);
    if (replies.size > REMEMBERED_REPLIES) replies.delete(replies.keys().next().value!);
  };
  const loop = async <T>(next: () => Promise<T>, handle: (entry: T) => Promise<void>) => {
    while (!stopped) {
      const entry = await next();
      if (stopped) return;
      try {
        await handle(entry);
      } catch (err) {
        log(`sandbox: Echo could not answer: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  void loop(
    () => echo.waitForMessage(),
    (msg) => answer(echo, msg, group, conversation, remember),
  );
  void loop(
    () => echo.waitForEditMessage(),
    (edit) => answerEdit(echo, edit, group, conversation, replies),
  );
  return {
    stop: () => {
      stopped = true;
    },
  };
}

/** What Echo's replies carry as a Signal app's would: its profile key, each conversation's timer. */
interface Conversation {
  profileKey: Uint8Array<ArrayBuffer>;
  /** By conversation (the group's master key, or the contact's ACI): the timer and its version. */
  timers: Map<string, { expireTimer: number; expireTimerVersion: number | null }>;
}

function conversationKey(target: Device, dm: MockDataMessage): string {
  return dm.groupV2?.masterKey ? `group:${Buffer.from(dm.groupV2.masterKey).toString('base64')}` : `aci:${target.aci}`;
}

/**
 * Every data message carries its conversation's timer (absent: off), so Echo's last word is what
 * arrived last — except that a direct conversation's timer only moves forward in version, as in
 * Signal apps, so a stale message cannot undo a change.
 */
function adoptTimer(conversation: Conversation, key: string, dm: MockDataMessage): void {
  const version = dm.expireTimerVersion ?? null;
  const known = conversation.timers.get(key);
  if (known?.expireTimerVersion != null && version != null && version < known.expireTimerVersion) return;
  conversation.timers.set(key, { expireTimer: dm.expireTimer ?? 0, expireTimerVersion: version });
}

/** The fields every message of Echo's carries in this conversation. */
function carried(conversation: Conversation, key: string, groupV2: ReturnType<typeof groupContextOf>): Partial<typeof EMPTY_DATA_MESSAGE> {
  const timer = conversation.timers.get(key);
  return {
    groupV2,
    profileKey: conversation.profileKey,
    expireTimer: timer?.expireTimer || null,
    // A group's timer has no version: it lives in the group's state.
    expireTimerVersion: groupV2 ? null : (timer?.expireTimerVersion ?? null),
  };
}

/** A message a Signal app shows as something to react to (not a remote delete, not a timer change). */
function showsSomething(dm: MockDataMessage): boolean {
  return Boolean(dm.body || dm.attachments?.length || dm.sticker || dm.contact?.length);
}

function replyKey(author: Device, timestamp: bigint | number): string {
  return `${author.aci}:${String(timestamp)}`;
}

function groupContextOf(dm: MockDataMessage, group: Group | null) {
  const inGroup = group && dm.groupV2?.masterKey && Buffer.from(dm.groupV2.masterKey).equals(Buffer.from(group.masterKey)) ? group : null;
  return inGroup ? inGroup.toContext() : null;
}

/** A delivery receipt, then a read receipt, as an app whose user opens the conversation sends them. */
async function acknowledge(echo: PrimaryDevice, target: Device, timestamp: bigint | number | null | undefined): Promise<void> {
  if (timestamp == null) return;
  const messageTimestamps = [Number(timestamp)];
  await echo.sendReceipt(target, { type: ReceiptType.Delivery, messageTimestamps });
  await echo.sendReceipt(target, { type: ReceiptType.Read, messageTimestamps });
}

async function answer(
  echo: PrimaryDevice,
  msg: MessageEntry,
  group: Group | null,
  conversation: Conversation,
  remember: (key: string, reply: number) => void,
): Promise<void> {
  const dm = msg.dataMessage;
  if (dm.reaction) return;
  const target = msg.source;
  await acknowledge(echo, target, dm.timestamp);
  const key = conversationKey(target, dm);
  adoptTimer(conversation, key, dm);
  const base = carried(conversation, key, groupContextOf(dm, group));
  if (dm.body) {
    const timestamp = Date.now();
    // A message that quoted something gets a reply that quotes it, as people answer in a thread.
    const quote =
      dm.quote && dm.timestamp != null
        ? { id: dm.timestamp, authorAci: null, authorAciBinary: target.aciBinary, text: dm.body, attachments: null, bodyRanges: null, type: null }
        : null;
    await echo.sendRaw(target, content({ ...base, body: dm.body, bodyRanges: dm.bodyRanges ?? null, quote, preview: dm.preview?.length ? dm.preview : null }, timestamp));
    if (dm.timestamp != null) remember(replyKey(target, dm.timestamp), timestamp);
  }
  if (dm.attachments?.length) await echo.sendRaw(target, content({ ...base, attachments: dm.attachments, isViewOnce: dm.isViewOnce ?? null }));
  if (dm.sticker) await echo.sendRaw(target, content({ ...base, sticker: dm.sticker }));
  if (dm.timestamp != null && showsSomething(dm)) {
    await echo.sendRaw(
      target,
      content({
        ...base,
        reaction: { emoji: '👍', remove: false, targetAuthorAci: null, targetAuthorAciBinary: target.aciBinary, targetSentTimestamp: dm.timestamp },
      }),
    );
  }
}

/** An edited message: Echo edits its reply to the original to say the new text. */
async function answerEdit(echo: PrimaryDevice, entry: EditEntry, group: Group | null, conversation: Conversation, replies: Map<string, number>): Promise<void> {
  const edit = entry.editMessage;
  const dm = edit.dataMessage;
  if (!dm) return;
  const target = entry.source;
  await acknowledge(echo, target, dm.timestamp);
  const reply = edit.targetSentTimestamp != null ? replies.get(replyKey(target, edit.targetSentTimestamp)) : undefined;
  if (reply === undefined || !dm.body) return;
  const base = carried(conversation, conversationKey(target, dm), groupContextOf(dm, group));
  const dataMessage = { ...EMPTY_DATA_MESSAGE, ...base, body: dm.body, timestamp: BigInt(Date.now()) };
  await echo.sendRaw(target, {
    content: { editMessage: { targetSentTimestamp: BigInt(reply), dataMessage } },
    pniSignatureMessage: null,
    senderKeyDistributionMessage: null,
  } as unknown as Parameters<PrimaryDevice['sendRaw']>[1]);
}

function content(fields: Partial<typeof EMPTY_DATA_MESSAGE>, timestamp = Date.now()) {
  return {
    content: { dataMessage: { ...EMPTY_DATA_MESSAGE, ...fields, timestamp: BigInt(timestamp) } },
    pniSignatureMessage: null,
    senderKeyDistributionMessage: null,
  };
}

/** Greeter's hello, 1:1 or in `group`, with its profile key as a Signal app sends it to a contact. */
export async function greet(greeter: PrimaryDevice, target: Device, text: string, group?: Group): Promise<void> {
  await greeter.sendText(target, text, { withProfileKey: true, group });
}
