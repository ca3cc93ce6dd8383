import type { InboxEntry } from '../messenger/api.js';
import { receive } from '../messenger/commands/index.js';
import { openMessenger, untilSignal } from './accountSetup.js';
import type { Command } from './command.js';

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
        const lease = await receive.run(messenger, { timeoutMs: remaining, ignoreAttachments: Boolean(ctx.values['ignore-attachments']) }, { signal: abort.signal });
        for (const entry of lease.entries) ctx.stdout.write(format(entry, Boolean(ctx.values.json), Boolean(ctx.values['ignore-attachments'])));
        lease.commit();
      }
      return 0;
    } finally {
      signals.dispose();
      await messenger.stop();
    }
  },
};

function format(entry: InboxEntry, json: boolean, ignoreAttachments: boolean): string {
  if (json) {
    if (ignoreAttachments && 'attachments' in entry) {
      return JSON.stringify({ ...entry, attachments: entry.attachments.map(({ base64Data: _d, ...rest }) => rest) }) + '\n';
    }
    return JSON.stringify(entry) + '\n';
  }
  if ('statusCode' in entry) return `[error ${entry.statusCode}] ${entry.errorMessage}\n`;
  const from = entry.sender ?? entry.senderUuid ?? 'unknown';
  const where = entry.groupId ? ` in group ${entry.groupId}` : '';
  const parts = [];
  if (entry.body !== null) parts.push(entry.body);
  if (entry.reaction) parts.push(`reacted ${entry.reaction.remove ? '(removed) ' : ''}${entry.reaction.emoji} to ${entry.reaction.timestamp}`);
  for (const a of entry.attachments) parts.push(`[attachment ${a.filename ?? ''} ${a.contentType ?? ''} ${a.size ?? '?'} bytes${a.error ? `: ${a.error}` : ''}]`);
  return `${entry.timestamp} ${from}${where}: ${parts.join(' ')}\n`;
}
