import { openMessenger, untilSignal } from './accountSetup.js';
import type { Command } from './command.js';
import { formatEntry } from './entryFormat.js';

export const receiveCommand: Command = {
  name: 'receive',
  summary: 'print incoming messages until the timeout',
  usage: '-a +NUMBER receive [--timeout SEC] [--json]',
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
    const messenger = openMessenger(ctx);
    const signals = untilSignal();
    const abort = new AbortController();
    void signals.promise.then(() => abort.abort());
    try {
      messenger.start();
      while (!abort.signal.aborted) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        const lease = await messenger.takeInbox(remaining, abort.signal);
        const format = { json: Boolean(ctx.values.json), ignoreAttachments: Boolean(ctx.values['ignore-attachments']) };
        for (const entry of lease.entries) ctx.stdout.write(formatEntry(entry, format));
        lease.commit();
      }
      return 0;
    } finally {
      signals.dispose();
      await messenger.stop();
    }
  },
};
