// The crash scenario of crashScenario.ts through signal-cli's JSON-RPC: contacts keep writing while
// `sigsock daemon --tcp` is killed with SIGKILL and a JSON-RPC client takes the pushed `receive`
// notifications. Two clients: one with the acknowledgement extension (`enableAck`), one plain, as a
// signal-cli client is. Each run's notifications are kept apart, so the test can say where a
// repeat came from.
import type { LinkedFixture } from '../support/harness.js';
import type { Random } from '../support/random.js';
import { startJsonRpcDaemon, tcpRpc, type RpcClient } from './jsonRpcClient.js';

/** One message as the client saw it: its text, `SENDER_INDEX:N`. */
export type Seen = string;

export interface CrashRuns {
  /** What the client processed in each daemon run, in arrival order; the last run is the clean one. */
  runs: Seen[][];
  /** How many kills landed with a notification read by the client and not yet acknowledged. */
  killsBeforeAck: number;
  /** What the final run's `receive` found still queued once the client had everything (should be none). */
  leftover: Seen[];
}

export interface CrashOptions {
  perSender: number;
  kills: number;
  random: Random;
  /** With the ack extension: a notification counts as processed once its `ack` was answered. */
  ack: boolean;
}

export async function jsonRpcCrashScenario(f: LinkedFixture, o: CrashOptions): Promise<CrashRuns> {
  const senders = [f.bob, f.carol];
  for (const s of senders) await f.introduce(s);
  // The messages come in rounds, one per daemon run, each sent while that daemon starts and runs,
  // so that notifications are flowing when the kill comes.
  const rounds = o.kills + 1;
  const roundSize = Math.ceil(o.perSender / rounds);
  let sending: Promise<unknown> = Promise.resolve();
  let sent = 0;
  const sendRound = (k: number) => {
    const from = k * roundSize;
    const to = Math.min(o.perSender, from + roundSize);
    sending = sending.then(() =>
      Promise.all(
        senders.map(async (s, si) => {
          for (let i = from; i < to; i++) {
            await s.sendText(f.device, `${si}:${i}`);
            sent++;
          }
        }),
      ),
    );
    return sending;
  };
  const seen = (params: Record<string, any>): Seen => {
    const received = params.result ?? params;
    return String(received.envelope.dataMessage?.message);
  };
  const runs: Seen[][] = [];
  let killsBeforeAck = 0;

  // Manual mode with the ack extension, so that every notification carries an ackId (enableAck is
  // answered before the subscription starts); plain clients get signal-cli's on-start pushing.
  const modeArgs = o.ack ? ['--receive-mode', 'manual'] : [];
  const connect = async (port: number) => {
    const c = await tcpRpc(port);
    if (o.ack) {
      await c.call('enableAck');
      await c.call('subscribeReceive');
    }
    return c;
  };

  for (let k = 0; k < o.kills; k++) {
    const roundSent = sendRound(k);
    const daemon = await startJsonRpcDaemon(f, modeArgs);
    const c = await connect(daemon.port);
    const run: Seen[] = [];
    runs.push(run);
    // The kill comes once the client has read a random number of this run's notifications: at
    // once or a few milliseconds later (plain: possibly between the write and the delete, the
    // window docs/jsonrpc.md names), or, every other run with the ack extension, right after the
    // read and before the acknowledgement — the moment plain JSON-RPC cannot make safe. Never with
    // an `ack` awaiting its answer: whether that ack was committed is the one thing an
    // acknowledging client cannot know (docs/jsonrpc.md), and this test is about the daemon.
    const killAfterRead = o.ack && k % 2 === 0;
    const killAtRead = 1 + o.random.int(2 * roundSize);
    const delayMs = o.random.int(40);
    // The first such run kills at its first push, so the moment is always met at least once.
    const killAtPush = k === 0 ? 1 : 1 + o.random.int(2);
    let reads = 0;
    let pushes = 0;
    let killing: Promise<unknown> | undefined;
    const kill = () => (killing ??= daemon.stop('SIGKILL'));
    const killUnlessAcking = () => {
      if (moments.ackInFlight) moments.due = true;
      else void kill();
    };
    const moments: KillMoments = {
      ackInFlight: false,
      due: false,
      afterRead: async (firstOfPush) => {
        if (killing) return false;
        // With the ack extension, at the first notification of a push (those of one push share an
        // ackId; a round's messages come in a push or two).
        if (killAfterRead) {
          if (!firstOfPush || ++pushes !== killAtPush) return false;
          killsBeforeAck++;
          await kill();
          return true;
        }
        if (++reads === killAtRead) setTimeout(killUnlessAcking, delayMs);
        return false;
      },
      afterAck: () => {
        if (moments.due) void kill();
      },
      // Should that read not come (everything sent so far was read), the kill comes then.
      afterProcess: () => {
        if (!killing && roundDone && new Set(runs.flat()).size >= sent) killUnlessAcking();
      },
    };
    let roundDone = false;
    void roundSent.then(() => {
      roundDone = true;
      moments.afterProcess();
    });
    // The client reads until the connection closes under it: what the kernel had taken before the
    // kill still reaches it, as it would reach any client.
    await consume(c, seen, run, o.ack, () => false, moments).catch(() => undefined);
    await kill();
    c.socket.destroy();
  }
  sendRound(o.kills);
  const producing = sending;

  const last = await startJsonRpcDaemon(f, ['--receive-mode', 'manual']);
  const c = await tcpRpc(last.port);
  if (o.ack) await c.call('enableAck');
  await c.call('subscribeReceive');
  const run: Seen[] = [];
  runs.push(run);
  const expected = senders.length * o.perSender;
  const total = () => new Set(runs.flat()).size;
  const deadline = Date.now() + 60_000;
  let done = false;
  void producing.then(() => (done = true));
  await consume(c, seen, run, o.ack, () => (done && total() >= expected) || Date.now() > deadline, noKill, deadline);
  await producing;
  // Anything still queued now would come twice: fetch it with `receive` once pushing has stopped.
  await c.call('unsubscribeReceive');
  const rest = await c.call('receive', { timeout: 1 });
  const leftover = (rest.result as Record<string, any>[]).map(seen);
  c.socket.destroy();
  const code = await last.stop();
  if (code !== 0) throw new Error(`the last daemon exited ${code}:\n${last.stderr()}`);
  return { runs, killsBeforeAck, leftover };
}

/** When the kill may come, as the client sees it (see the loop above). */
interface KillMoments {
  /** True while an `ack` awaits its answer. */
  ackInFlight: boolean;
  /** The kill is due, held back until the `ack` in flight is answered. */
  due: boolean;
  /** After each notification was read, before it is acknowledged: true when the daemon was killed there. */
  afterRead(firstOfPush: boolean): Promise<boolean>;
  afterAck(): void;
  /** After a notification was processed. */
  afterProcess(): void;
}

const noKill: KillMoments = { ackInFlight: false, due: false, afterRead: async () => false, afterAck: () => {}, afterProcess: () => {} };

/**
 * Takes notifications until `stop()` or until the connection closes (that throws): plain, each
 * one is processed as it arrives; with the ack extension, once its `ack` is answered.
 */
async function consume(
  c: RpcClient,
  seen: (params: Record<string, any>) => Seen,
  run: Seen[],
  ack: boolean,
  stop: () => boolean,
  moments: KillMoments,
  deadline = Date.now() + 60_000,
): Promise<void> {
  const acked = new Set<string>();
  while (!stop()) {
    let params: Record<string, any>;
    try {
      params = await c.notification(Math.max(1, Math.min(300, deadline - Date.now())));
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('timed out')) continue;
      throw err;
    }
    // Notifications pushed together share their ackId: acknowledged once, at the first of them.
    const ackId = params.ackId as string;
    const stopHere = await moments.afterRead(!ack || !acked.has(ackId));
    if (!ack) {
      run.push(seen(params));
      moments.afterProcess();
      if (stopHere) return;
      continue;
    }
    if (!acked.has(ackId)) {
      if (stopHere) return;
      moments.ackInFlight = true;
      const answer = await c.call('ack', { ackId });
      moments.ackInFlight = false;
      if (!answer.result) throw new Error(`ack refused: ${JSON.stringify(answer)}`);
      acked.add(ackId);
      moments.afterAck();
    }
    run.push(seen(params));
    moments.afterProcess();
  }
}
