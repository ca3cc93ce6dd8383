// `listDevices` and `removeDevice`: the account's devices on the server.
import type { DeviceSummary } from '../messenger/api.js';
import { withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

export const listDevicesCommand: Command = {
  name: 'listDevices',
  summary: "show the account's devices: the primary (phone), this one and other linked devices",
  usage: '-a +NUMBER listDevices [--json]',
  options: {
    json: { type: 'boolean', description: 'one JSON object per device' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError('listDevices takes no arguments');
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      for (const device of await messenger.listDevices()) {
        ctx.stdout.write(ctx.values.json ? JSON.stringify(device) + '\n' : describeDevice(device));
      }
      return 0;
    });
  },
};

export const removeDeviceCommand: Command = {
  name: 'removeDevice',
  summary: 'unlink a device from the account (the primary removes any; a linked device itself)',
  usage: '-a +NUMBER removeDevice -d DEVICE_ID',
  details: 'DEVICE_ID is the number `listDevices` shows. The removed device stops receiving at once.',
  options: {
    'device-id': { type: 'string', short: 'd', valueName: 'DEVICE_ID', description: 'the device to remove' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError('removeDevice takes no arguments besides -d DEVICE_ID');
    const raw = ctx.values['device-id'] as string | undefined;
    if (raw === undefined) throw new UsageError('removeDevice needs -d DEVICE_ID (see listDevices)');
    if (!/^[1-9]\d{0,2}$/.test(raw)) throw new UsageError(`"${raw}" is not a device id (a number from listDevices)`);
    const deviceId = Number(raw);
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      await messenger.removeDevice(deviceId);
      ctx.stdout.write(`removed device ${deviceId}\n`);
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
