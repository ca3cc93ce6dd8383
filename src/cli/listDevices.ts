// `listDevices`: the account's devices on the server.
import type { DeviceSummary } from '../messenger/api.js';
import { listDevices } from '../messenger/commands/index.js';
import { withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';
import { printMethodResult } from './signalCliJson.js';

export const listDevicesCommand: Command = {
  name: 'listDevices',
  summary: "show the account's devices: the primary (phone), this one and other linked devices",
  usage: '-a +NUMBER listDevices [--json]',
  jsonOutput: true,
  options: {
    json: { type: 'boolean', description: 'one JSON object per device' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError('listDevices takes no arguments');
    if (ctx.global.output === 'json') return printMethodResult(ctx, 'listDevices', {}, { online: true });
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      for (const device of await listDevices.run(messenger, {}, {})) {
        ctx.stdout.write(ctx.values.json ? JSON.stringify(device) + '\n' : describeDevice(device));
      }
      return 0;
    });
  },
};

function describeDevice(d: DeviceSummary): string {
  const notes = [d.primary ? 'primary' : 'linked', ...(d.thisDevice ? ['this device'] : [])];
  const lines = [`- Device ${d.id} (${notes.join(', ')}):`, `  Name: ${d.name ?? '(none)'}`];
  if (d.created !== null) lines.push(`  Created: ${new Date(d.created).toISOString()}`);
  if (d.lastSeen !== null) lines.push(`  Last seen: ${new Date(d.lastSeen).toISOString().slice(0, 10)}`);
  return lines.join('\n') + '\n';
}
