// `removeDevice`: unlink a device from the account.
import { CommandArguments, removeDevice } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

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
    if (ctx.values['device-id'] === undefined) throw new UsageError('removeDevice needs -d DEVICE_ID (see listDevices)');
    const params = parseArguments(removeDevice, new CommandArguments({ deviceId: ctx.values['device-id'] }, { deviceId: '-d DEVICE_ID' }));
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      await removeDevice.run(messenger, params, {});
      ctx.stdout.write(`removed device ${params.deviceId}\n`);
      return 0;
    });
  },
};
