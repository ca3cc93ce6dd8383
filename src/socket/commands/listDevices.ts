// list_devices (extension) → {devices}: e.g. to see that the phone is still there.
import { listDevices as list } from '../../messenger/commands/index.js';
import type { Handler } from './context.js';

export const listDevices: Handler = async (_request, ctx) => ({ fields: { devices: await list.run(ctx.messenger, {}, {}) } });
