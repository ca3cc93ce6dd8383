// The sandbox's people. Echo answers every text with the same text, returns every attachment
// (same pointer: same bytes, name and type), reacts 👍 to every message, and does all of that
// inside the Sandbox group when written there. Greeter says hello once, right after start.
import { EMPTY_DATA_MESSAGE, type Device, type Group, type PrimaryDevice } from '@signalapp/mock-server';
import type { Log } from '../util/log.js';

type MessageEntry = Awaited<ReturnType<PrimaryDevice['waitForMessage']>>;

export interface EchoOptions {
  echo: PrimaryDevice;
  group: Group | null;
  log: Log;
}

/** Runs until `stop()`; a failed reply is logged and the loop goes on. */
export function runEcho({ echo, group, log }: EchoOptions): { stop(): void } {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const msg = await echo.waitForMessage();
      if (stopped) return;
      try {
        await answer(echo, msg, group);
      } catch (err) {
        log(`sandbox: Echo could not answer: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  void loop();
  return {
    stop: () => {
      stopped = true;
    },
  };
}

async function answer(echo: PrimaryDevice, msg: MessageEntry, group: Group | null): Promise<void> {
  const dm = msg.dataMessage;
  if (dm.reaction) return;
  const inGroup = group && dm.groupV2?.masterKey && Buffer.from(dm.groupV2.masterKey).equals(Buffer.from(group.masterKey)) ? group : undefined;
  const groupV2 = inGroup ? inGroup.toContext() : null;
  const target = msg.source;
  if (dm.body) await echo.sendText(target, dm.body, { group: inGroup });
  if (dm.attachments?.length) {
    await echo.sendRaw(target, content({ attachments: dm.attachments, groupV2 }));
  }
  if (dm.timestamp != null) {
    await echo.sendRaw(
      target,
      content({
        groupV2,
        reaction: {
          emoji: '👍',
          remove: false,
          targetAuthorAci: null,
          targetAuthorAciBinary: target.aciBinary,
          targetSentTimestamp: dm.timestamp,
        },
      }),
    );
  }
}

function content(fields: Partial<typeof EMPTY_DATA_MESSAGE>) {
  return {
    content: { dataMessage: { ...EMPTY_DATA_MESSAGE, ...fields, timestamp: BigInt(Date.now()) } },
    pniSignatureMessage: null,
    senderKeyDistributionMessage: null,
  };
}

export async function greet(greeter: PrimaryDevice, target: Device, text: string): Promise<void> {
  await greeter.sendText(target, text);
}
