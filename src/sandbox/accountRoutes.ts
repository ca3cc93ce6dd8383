// Account routes of Signal's chat server that mock-server 27 does not serve, added to the local
// network so that `listDevices`, `removeDevice` and `unregister` can be tried and tested against it:
//   GET    /v1/devices          the account's devices (DeviceInfoList of Signal-Server)
//   DELETE /v1/devices/{id}     the primary removes any linked device; a linked device itself
//   DELETE /v1/accounts/me      the primary deletes the account: every device is gone, and the
//                               number's ACI and PNI answer as unregistered
// They follow Signal-Server's rules and answers, as far as a client can see them. The mock does
// not keep device names, so the name a device linked with is recorded here from its link request.
import { ServiceIdKind, type Device, type Server } from '@signalapp/mock-server';
import { closeDeviceWebSocket, type MockRouteHandler, type MockRouter } from './mockInternals.js';

const PRIMARY_DEVICE_ID = 1;
const DAY_MS = 24 * 60 * 60 * 1000;
// Signal's server closes a removed device's socket; libsignal reads 4401 as "connection invalidated".
const DEVICE_REMOVED_CLOSE_CODE = 4401;
const ANSWER_GRACE_MS = 100;

interface DeviceRecord {
  /** base64 of the encrypted DeviceName, as the device sent it; primaries usually have none. */
  name: string | null;
  /** 0 when the device was not linked through this server (a mock phone): unknown, as the API allows. */
  created: number;
}

type Reply = [number, unknown];

const UNKNOWN_DEVICE: DeviceRecord = { name: null, created: 0 };

export class AccountRoutes {
  private readonly records = new Map<string, DeviceRecord>();
  private readonly deletedServiceIds = new Set<string>();

  constructor(private readonly server: Server) {}

  /** Whether the account holding `serviceId` was deleted through DELETE /v1/accounts/me. */
  isDeleted(serviceId: string): boolean {
    return this.deletedServiceIds.has(serviceId);
  }

  install(router: MockRouter, device: () => Device | undefined): void {
    const authed =
      (handler: (self: Device, params: Record<string, string>) => Promise<Reply>): MockRouteHandler =>
      async (params) => {
        const self = device();
        return self ? handler(self, params) : [401, { error: 'Not authorized' }];
      };
    router.get('/v1/devices', authed((self) => this.listDevices(self)));
    router.del('/v1/devices/:deviceId', authed((self, params) => this.removeDevice(self, Number(params.deviceId))));
    router.del('/v1/accounts/me', authed((self) => this.deleteAccount(self)));
    this.recordLinkedNames(router);
  }

  private async listDevices(self: Device): Promise<Reply> {
    const devices = await this.server.getAllDevicesByServiceId(self.aci);
    // The account's identity key (the mock's own libsignal object, used only on the mock's side).
    const primary = await this.server.getDeviceByServiceId(self.aci);
    const identityKey = primary ? await primary.getIdentityKey(ServiceIdKind.ACI) : null;
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    return [
      200,
      {
        devices: devices.map((d) => {
          const record = this.records.get(d.debugId) ?? UNKNOWN_DEVICE;
          const registrationId = d.getCheckedRegistrationId(ServiceIdKind.ACI);
          // As Signal-Server: the creation time also sealed to the account's identity key, so
          // only the account's devices can read it (`created` is deprecated in its favour).
          const createdAtCiphertext = record.created && identityKey ? sealCreatedAt(identityKey, record.created, d.deviceId, registrationId) : null;
          // Signal-Server rounds lastSeen to the day, so devices cannot be tracked through it.
          return { id: d.deviceId, name: record.name, lastSeen: today, created: record.created, registrationId, createdAtCiphertext };
        }),
      },
    ];
  }

  private async removeDevice(self: Device, deviceId: number): Promise<Reply> {
    if (!Number.isInteger(deviceId)) return [400, { error: 'bad device id' }];
    if (self.deviceId !== PRIMARY_DEVICE_ID && self.deviceId !== deviceId) return [401, { error: 'only the primary device removes other devices' }];
    if (deviceId === PRIMARY_DEVICE_ID) return [403, { error: 'the primary device cannot be removed' }];
    const target = await this.server.getDeviceByServiceId(self.aci, deviceId);
    // Signal-Server answers 204 for a device that does not exist, too.
    if (target) await this.forget(target);
    return [204, ''];
  }

  private async deleteAccount(self: Device): Promise<Reply> {
    if (self.deviceId !== PRIMARY_DEVICE_ID) return [403, { error: 'only the primary device deletes the account' }];
    this.deletedServiceIds.add(self.aci);
    if (self.pni) this.deletedServiceIds.add(self.pni);
    const devices = [...(await this.server.getAllDevicesByServiceId(self.aci))];
    // Linked devices first: the mock finds an account's devices through its primary.
    devices.sort((a, b) => b.deviceId - a.deviceId);
    for (const d of devices) await this.forget(d);
    return [204, ''];
  }

  private async forget(device: Device): Promise<void> {
    await this.server.removeDeviceByServiceId(device.aci, device.deviceId);
    this.records.delete(device.debugId);
    // After the answer is on its way: the device may be removing itself over this very socket.
    setTimeout(() => closeDeviceWebSocket(this.server, device, DEVICE_REMOVED_CLOSE_CODE), ANSWER_GRACE_MS).unref();
  }

  /** Wraps the mock's PUT /v1/devices/link so the name in its account attributes is kept. */
  private recordLinkedNames(router: MockRouter): void {
    const link = router.routes.find((r) => r.method === 'PUT' && r.pattern.match('/v1/devices/link'));
    if (!link) throw new Error('mock-server changed: no PUT /v1/devices/link route to wrap');
    const original = link.handler;
    link.handler = async (params, body, headers, query) => {
      const reply = await original(params, body, headers, query);
      const [status, json] = reply;
      const linked = json as { uuid?: string; deviceId?: number } | undefined;
      if (status === 200 && linked?.uuid && linked.deviceId !== undefined) {
        this.records.set(`${linked.uuid}.${linked.deviceId}`, { name: linkedName(body), created: Date.now() });
      }
      return reply;
    };
  }
}

function linkedName(body: Uint8Array | undefined): string | null {
  try {
    const parsed = JSON.parse(Buffer.from(body ?? []).toString('utf8')) as { accountAttributes?: { name?: unknown } };
    const name = parsed.accountAttributes?.name;
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

interface SealingKey {
  seal(msg: Uint8Array, info: string, associatedData?: Uint8Array): Uint8Array;
}

/** Signal-Server's EncryptDeviceCreationTimestampUtil: HPKE to the identity key, bound to the device. */
function sealCreatedAt(identityKey: SealingKey, created: number, deviceId: number, registrationId: number): string {
  const timestamp = Buffer.alloc(8);
  timestamp.writeBigInt64BE(BigInt(created));
  const associated = Buffer.alloc(5);
  associated.writeUInt8(deviceId, 0);
  associated.writeInt32BE(registrationId, 1);
  return Buffer.from(identityKey.seal(timestamp, 'deviceCreatedAt', associated)).toString('base64');
}
