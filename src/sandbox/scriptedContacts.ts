// The sandbox's people. Echo behaves as a Signal app and answers what it gets: every text with the
// same text (quoting the message when that message quoted something), every attachment (same
// pointer: same bytes, name and type), 👍 to every message; an edit with an edit of its own earlier
// reply; a delivery and a read receipt for each message and edit; all of that inside the Sandbox
// group when written there. Greeter says hello once, right after start.
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
    (msg) => answer(echo, msg, group, remember),
  );
  void loop(
    () => echo.waitForEditMessage(),
    (edit) => answerEdit(echo, edit, group, replies),
  );
  return {
    stop: () => {
      stopped = true;
    },
  };
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

async function answer(echo: PrimaryDevice, msg: MessageEntry, group: Group | null, remember: (key: string, reply: number) => void): Promise<void> {
  const dm = msg.dataMessage;
  if (dm.reaction) return;
  const target = msg.source;
  await acknowledge(echo, target, dm.timestamp);
  const groupV2 = groupContextOf(dm, group);
  if (dm.body) {
    const timestamp = Date.now();
    // A message that quoted something gets a reply that quotes it, as people answer in a thread.
    const quote =
      dm.quote && dm.timestamp != null
        ? { id: dm.timestamp, authorAci: null, authorAciBinary: target.aciBinary, text: dm.body, attachments: null, bodyRanges: null, type: null }
        : null;
    await echo.sendRaw(target, content({ body: dm.body, groupV2, quote }, timestamp));
    if (dm.timestamp != null) remember(replyKey(target, dm.timestamp), timestamp);
  }
  if (dm.attachments?.length) await echo.sendRaw(target, content({ attachments: dm.attachments, groupV2 }));
  if (dm.timestamp != null) {
    await echo.sendRaw(
      target,
      content({
        groupV2,
        reaction: { emoji: '👍', remove: false, targetAuthorAci: null, targetAuthorAciBinary: target.aciBinary, targetSentTimestamp: dm.timestamp },
      }),
    );
  }
}

/** An edited message: Echo edits its reply to the original to say the new text. */
async function answerEdit(echo: PrimaryDevice, entry: EditEntry, group: Group | null, replies: Map<string, number>): Promise<void> {
  const edit = entry.editMessage;
  const dm = edit.dataMessage;
  if (!dm) return;
  const target = entry.source;
  await acknowledge(echo, target, dm.timestamp);
  const reply = edit.targetSentTimestamp != null ? replies.get(replyKey(target, edit.targetSentTimestamp)) : undefined;
  if (reply === undefined || !dm.body) return;
  const dataMessage = { ...EMPTY_DATA_MESSAGE, body: dm.body, groupV2: groupContextOf(dm, group), timestamp: BigInt(Date.now()) };
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

export async function greet(greeter: PrimaryDevice, target: Device, text: string): Promise<void> {
  await greeter.sendText(target, text);
}
