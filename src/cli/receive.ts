import type { InboxEntry } from '../messenger/api.js';
import { receive } from '../messenger/commands/index.js';
import { openMessenger, untilSignal } from './accountSetup.js';
import type { Command } from './command.js';
import { deliverLease } from '../messenger/leaseDelivery.js';
import { base64Slices, type AnswerPiece } from '../socket/answerEncoder.js';
import { formatEntryPieces } from './entryFormat.js';
import { signalCliReceiveLine } from './signalCliJson.js';

export const receiveCommand: Command = {
  name: 'receive',
  summary: 'print incoming messages until the timeout',
  usage: '-a +NUMBER receive [--timeout SEC] [--json] [--ignore-attachments]',
  jsonOutput: true,
  details: 'Messages printed here are removed from the queue; a running `socket` daemon must be stopped first.',
  options: {
    timeout: { type: 'string', short: 't', valueName: 'SEC', description: 'stop after this many seconds (default 5)' },
    json: { type: 'boolean', description: 'one JSON object per line, as the socket protocol\'s messages[] entries' },
    'ignore-attachments': { type: 'boolean', description: 'do not print attachment data (with --json)' },
  },
  async run(ctx) {
    const timeoutSec = Number(ctx.values.timeout ?? 5);
    if (!Number.isFinite(timeoutSec) || timeoutSec < 0) throw new Error('--timeout must be a non-negative number of seconds');
    const deadline = Date.now() + timeoutSec * 1000;
    const ignoreAttachments = Boolean(ctx.values['ignore-attachments']);
    const format = { json: Boolean(ctx.values.json), ignoreAttachments };
    const signalCliLine = ctx.global.output === 'json' ? signalCliReceiveLine(ctx, ignoreAttachments) : undefined;
    const piecesOf = (entry: InboxEntry): AnswerPiece[] => (signalCliLine ? [signalCliLine(entry)] : formatEntryPieces(entry, format));
    const messenger = openMessenger(ctx);
    const signals = untilSignal();
    const abort = new AbortController();
    void signals.promise.then(() => abort.abort());
    try {
      messenger.start();
      while (!abort.signal.aborted) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        const lease = await receive.run(messenger, { timeoutMs: remaining, ignoreAttachments: Boolean(ctx.values['ignore-attachments']) }, { signal: abort.signal });
        if (lease.entries.length === 0) {
          lease.release();
          continue;
        }
        const pieces = lease.entries.flatMap(piecesOf);
        // `sigsock receive | consumer`: a pipe write may complete later, or fail when the consumer
        // has gone; only a completed write removes the messages from the queue.
        if (!(await deliverLease(lease, () => writeFully(ctx.stdout, pieces)))) {
          ctx.stderr.write('receive: the output was closed; the messages not written stay queued\n');
          return 1;
        }
      }
      return 0;
    } finally {
      signals.dispose();
      await messenger.stop();
    }
  },
};

/**
 * Resolves true once every piece was handed to the stream's destination, false if writing failed.
 * Attachment bytes go as base64 slices, each once the stream took the one before.
 */
async function writeFully(stream: NodeJS.WritableStream, pieces: AnswerPiece[]): Promise<boolean> {
  // A broken pipe is reported to the callback and then emitted as an 'error' event, which must
  // not end the process: the callback has said what happened.
  if (!stream.listeners('error').includes(ignore)) stream.on('error', ignore);
  let failed = false;
  for (const piece of pieces) {
    for (const text of typeof piece === 'string' ? [piece] : base64Slices(piece)) {
      const flushed = stream.write(text, (err) => {
        if (err) failed = true;
      });
      if (failed) return false;
      if (!flushed) await drainedOrBroken(stream);
      if (failed) return false;
    }
  }
  // The last write's callback (or this empty one's) comes once everything before it was written.
  return new Promise((resolve) => stream.write('', (err) => resolve(!err && !failed)));
}

function ignore(): void {}

/** The stream wants more, or will never take more (a broken pipe): either way, stop waiting. */
function drainedOrBroken(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('error', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('error', done);
    stream.on('close', done);
  });
}
