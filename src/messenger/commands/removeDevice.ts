// removeDevice: unlink a device from the account.
import { invalid } from './arguments.js';
import type { AccountEngine, CommandDeclaration } from './declaration.js';

export interface RemoveDeviceParams {
  deviceId: number;
}

/** Arguments: deviceId, a number (or its digits) as listDevices shows it. */
export const removeDevice: CommandDeclaration<Pick<AccountEngine, 'removeDevice'>, RemoveDeviceParams, void> = {
  name: 'removeDevice',
  on: 'account',
  errors: ['INVALID_ARGUMENT', 'NETWORK', 'UNKNOWN'],
  parse(args) {
    const raw = args.get('deviceId');
    const deviceId = typeof raw === 'string' && /^[1-9]\d{0,2}$/.test(raw) ? Number(raw) : raw;
    if (typeof deviceId !== 'number' || !Number.isSafeInteger(deviceId) || deviceId < 1 || deviceId > 999) {
      throw invalid('INVALID_ARGUMENT', `${JSON.stringify(raw) ?? 'nothing'} is not a device id (a number from listDevices)`);
    }
    return { deviceId };
  },
  run: (engine, params) => engine.removeDevice(params.deviceId),
};
