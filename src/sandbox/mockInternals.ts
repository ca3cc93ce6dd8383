// The few places where the sandbox reaches into @signalapp/mock-server's private state, kept in one
// file and checked against 27.0.0. Each access verifies the shape it expects and fails loudly (or
// does nothing, for clean-up) if a newer mock changed it.
//
// Objects created here come from the mock's own libsignal-client (0.100): they are built through the
// constructors of objects the mock already holds and never mixed with ours (0.103).
import { ServiceIdKind, type Device, type PrimaryDevice, type Server } from '@signalapp/mock-server';
import { Connection } from '@signalapp/mock-server/src/server/ws/connection.js';

interface QueueEntry {
  cancel(): void;
}
interface QueueResolver {
  resolve(value: unknown): void;
}
/** The mock's util.PromiseQueue: `entries` wait for a consumer, `resolvers` for a producer. */
interface PromiseQueueShape {
  entries: QueueEntry[];
  resolvers: QueueResolver[];
}

function isPromiseQueue(value: unknown): value is PromiseQueueShape {
  const queue = value as Partial<PromiseQueueShape> | null;
  return typeof queue === 'object' && queue !== null && Array.isArray(queue.entries) && Array.isArray(queue.resolvers);
}

/**
 * Ends every wait on the server's own queues (provisioning, link results, storage manifests, group
 * updates) so their 60-second timers do not keep the process alive after close. Pending waiters are
 * resolved with `closedValue` (or undefined); the mock treats that as the end of the wait.
 */
export function settleServerQueues(server: Server, closedProvision: unknown): void {
  const internals = server as unknown as Record<string, unknown>;
  settleQueue(internals.provisionQueue, closedProvision);
  for (const name of ['provisionResultQueueByCode', 'provisionResultQueueByKey']) {
    const map = internals[name];
    if (map instanceof Map) for (const holder of map.values()) settleQueue((holder as { promiseQueue?: unknown }).promiseQueue, undefined);
  }
  for (const name of ['manifestQueueByAci', 'groupQueueById']) {
    const map = internals[name];
    if (map instanceof Map) for (const queue of map.values()) settleQueue(queue, undefined);
  }
}

function settleQueue(queue: unknown, value: unknown): void {
  if (!isPromiseQueue(queue)) return;
  // A waiting consumer's resolve() clears its timer; its cancel() would not, and the timer would
  // later throw inside the mock. So resolve them.
  for (const resolver of queue.resolvers.splice(0)) resolver.resolve(value);
  // A waiting producer's cancel() clears its timer and rejects its push, which the mock handles.
  for (const entry of [...queue.entries]) entry.cancel();
  queue.entries.length = 0;
}

interface WebSocketConnectionShape {
  close(code?: number): void;
}

/** Closes the chat WebSocket the mock holds for `device`; false when the device is not connected. */
export function closeDeviceWebSocket(server: Server, device: Device, code: number): boolean {
  const sockets = (server as unknown as { webSockets?: unknown }).webSockets;
  if (!(sockets instanceof Map)) throw new Error('mock-server internals changed: Server.webSockets is not a Map');
  const connection = sockets.get(device) as WebSocketConnectionShape | undefined;
  if (!connection) return false;
  connection.close(code);
  return true;
}

/** Whether the mock still holds a chat WebSocket for `device`. */
export function isDeviceConnected(server: Server, device: Device): boolean {
  const sockets = (server as unknown as { webSockets?: unknown }).webSockets;
  return sockets instanceof Map && sockets.has(device);
}

/**
 * Whether the mock simulates the primary device of `aci` itself (a PrimaryDevice it created), and so
 * consumes what is sent to it; false for an account a client registered.
 */
export function simulatesPrimary(server: Server, aci: string): boolean {
  const primaries = (server as unknown as { primaryDevices?: unknown }).primaryDevices;
  if (!(primaries instanceof Map)) throw new Error('mock-server internals changed: Server.primaryDevices is not a Map');
  return primaries.has(aci);
}

interface PrivateKeyShape {
  getPublicKey(): unknown;
}
interface IdentityStoreShape {
  updateIdentityKey(key: unknown): Promise<void>;
  saveIdentity(address: unknown, key: unknown): Promise<unknown>;
}
interface PrimaryDeviceInternals {
  privateKey: PrivateKeyShape;
  publicKey: unknown;
  identity: Map<ServiceIdKind, IdentityStoreShape>;
  sessions: { sessions: Map<string, unknown> };
  privSenderCertificate: unknown;
  config: { getSenderCertificate(): Promise<unknown> };
}

/**
 * Gives a mock contact a new ACI identity key, as if it reinstalled Signal: new identity, new keys
 * on the server (prekey fetches and profiles return the new identity key), a fresh sender
 * certificate, and no sessions, so its next message to anyone is a PreKey message under the new
 * identity. Returns the new public identity key, serialized (33 bytes).
 */
export async function replaceAciIdentity(contact: PrimaryDevice): Promise<Uint8Array> {
  const internals = contact as unknown as PrimaryDeviceInternals;
  const identity = internals.identity?.get(ServiceIdKind.ACI);
  if (!internals.privateKey || !identity || !(internals.sessions?.sessions instanceof Map)) {
    throw new Error('mock-server internals changed: cannot replace a PrimaryDevice identity');
  }
  // PrivateKey.generate() of the mock's own libsignal build, reached through an instance it made.
  const privateKeyClass = internals.privateKey.constructor as unknown as { generate(): PrivateKeyShape };
  const newKey = privateKeyClass.generate();
  internals.privateKey = newKey;
  internals.publicKey = newKey.getPublicKey();
  await identity.updateIdentityKey(newKey);
  await identity.saveIdentity(contact.device.address, internals.publicKey);
  await contact.device.setKeys(ServiceIdKind.ACI, await contact.generateKeys(contact.device, ServiceIdKind.ACI));
  internals.sessions.sessions.clear();
  internals.privSenderCertificate = await internals.config.getSenderCertificate();
  return new Uint8Array((internals.publicKey as { serialize(): Uint8Array }).serialize());
}

/** A route handler of the mock's WebSocket router (src/server/ws/router.js): [status, JSON, headers]. */
export type MockRouteHandler = (
  params: Record<string, string>,
  body: Uint8Array | undefined,
  headers: Record<string, string>,
  query?: Record<string, unknown>,
) => Promise<[number, unknown, Record<string, string>?]>;

export interface MockRouter {
  get(pattern: string, handler: MockRouteHandler): void;
  put(pattern: string, handler: MockRouteHandler): void;
  del(pattern: string, handler: MockRouteHandler): void;
  routes: { method: string; pattern: { match(path: string): unknown }; handler: MockRouteHandler }[];
}

/** Adds routes to one chat connection; `device()` is the device it authenticated as, if any. */
export type ChatRouteInstaller = (router: MockRouter, device: () => Device | undefined) => void;

interface ConnectionInternals {
  server: Server;
  router: MockRouter;
  device: Device | undefined;
}

const routeInstallers = new WeakMap<Server, ChatRouteInstaller>();
const extendedConnections = new WeakSet<object>();
let connectionPatched = false;

/**
 * Lets `install` add routes to every chat WebSocket connection of `server`. The mock builds its
 * Connection objects itself, so the hook is Connection.prototype.handleRequest: each connection's
 * router gets the extra routes before its first request. Other servers in the process are untouched.
 */
export function extendChatRoutes(server: Server, install: ChatRouteInstaller): void {
  routeInstallers.set(server, install);
  if (connectionPatched) return;
  const prototype = Connection.prototype as unknown as { handleRequest?: (request: unknown) => Promise<unknown> };
  const original = prototype.handleRequest;
  if (typeof original !== 'function') throw new Error('mock-server internals changed: Connection.handleRequest is missing');
  prototype.handleRequest = function (this: ConnectionInternals, request: unknown) {
    if (!extendedConnections.has(this)) {
      extendedConnections.add(this);
      const installer = routeInstallers.get(this.server);
      if (installer) {
        if (!Array.isArray(this.router?.routes)) throw new Error('mock-server internals changed: Connection.router has no routes');
        installer(this.router, () => this.device);
      }
    }
    return original.call(this, request);
  };
  connectionPatched = true;
}

/**
 * The primary device registered with `e164`, if any: the mock keeps its primaries by service id
 * only (`primaryByServiceId`), so the number is looked for among them.
 */
export function primaryByNumber(server: Server, e164: string): Device | undefined {
  const primaries = (server as unknown as { primaryByServiceId?: unknown }).primaryByServiceId;
  if (!(primaries instanceof Map)) throw new Error('mock-server internals changed: Server.primaryByServiceId is not a Map');
  for (const device of primaries.values() as Iterable<Device>) if (device.number === e164) return device;
  return undefined;
}
