// A local Signal network on @signalapp/mock-server, for tests and `sigsock sandbox`: the mock
// server on 127.0.0.1, the ServerConfig that points sigsock at it, and helpers that act for the
// phone and the contacts (mock PrimaryDevices).
//
// The mock loads its own libsignal-client (0.100) next to ours (0.103). Only bytes and strings may
// cross between them; never pass a libsignal object from one to the other.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { writeFile, chmod } from 'node:fs/promises';
import type { Http2SecureServer, Http2ServerRequest, Http2ServerResponse, ServerHttp2Session } from 'node:http2';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCertificates, Server, ServiceIdKind, type Device, type PrimaryDevice } from '@signalapp/mock-server';
import { pemToDer, serverConfigToFile, type ServerConfig } from '../signal/serverConfig.js';
import { AccountRoutes } from './accountRoutes.js';
import { installDirectoryRoute } from './directoryRoute.js';
import { ProfileAvatars } from './profileAvatars.js';
import { envelopeFor } from './clientEnvelopes.js';
import { closeDeviceWebSocket, extendChatRoutes, isDeviceConnected, replaceAciIdentity, settleServerQueues, simulatesPrimary } from './mockInternals.js';
import { ensurePromiseWithResolvers } from './promiseWithResolvers.js';

export type MockPrimaryDevice = PrimaryDevice;
export type MockDevice = Device;
export { ServiceIdKind };

export interface MockNetworkOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Only loopback: the mock has no real authentication. */
  host?: '127.0.0.1';
  /** Where CDN 3 files go; a temporary directory (removed on close) when absent. */
  stateDir?: string;
}

export interface CreatePhoneOptions {
  /** Sent to a linked device in the contact sync (blob on CDN 0). */
  contacts?: MockPrimaryDevice[];
}

export interface MockNetwork {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  readonly serverConfig: ServerConfig;
  readonly cdn3Path: string;
  /** Writes `serverConfig` as a server file (see serverConfig.ts), mode 0600. */
  writeServerConfigFile(path: string): Promise<void>;
  /** The account sigsock links to. */
  createPhone(name: string, options?: CreatePhoneOptions): Promise<MockPrimaryDevice>;
  createContact(name: string): Promise<MockPrimaryDevice>;
  /**
   * Starts waiting for the next provisioning socket now, and returns the function that answers it
   * (as the phone scanning the QR code) once the client printed its sgnl://linkdevice URL. The
   * answer resolves with the mock's Device for the linked client, after that client has finished
   * linking: `PUT /v1/devices/link` and one-time prekeys for ACI and PNI.
   */
  expectLink(phone: MockPrimaryDevice): (provisionUrl: string) => Promise<MockDevice>;
  /** `expectLink(phone)(provisionUrl)`: call it once the client printed the URL. */
  completeLink(phone: MockPrimaryDevice, provisionUrl: string): Promise<MockDevice>;
  /**
   * Lets `contact` start a session with `linkedDevice` (mock contacts cannot fetch prekeys):
   * hands it one of the device's uploaded prekey sets (one-time EC if any, one-time or last-resort
   * KEM). Needed once per contact before `contact.sendText(linkedDevice, ...)`.
   */
  introduce(contact: MockPrimaryDevice, linkedDevice: MockDevice, serviceIdKind?: ServiceIdKind): Promise<void>;
  /**
   * Registers another device for `contact` (device id 2, 3, ...). It has keys, so senders must
   * encrypt for it (409 otherwise), but no client: messages to it are dropped.
   */
  addDevice(contact: MockPrimaryDevice): Promise<MockDevice>;
  /**
   * Closes the chat WebSocket of one device; false if it has none. The default code (1011) is a plain
   * server failure; libsignal reports 4409 as ConnectedElsewhere and 4401 as ConnectionInvalidated.
   */
  disconnect(device: MockDevice, code?: number): boolean;
  /** Tears down every HTTP/2 connection, as a network failure would. */
  dropAllConnections(): void;
  /** Until `restore()`, accepts every chat WebSocket of `device` and closes it at once. */
  dropOnAccept(device: MockDevice): { restore(): void };
  /**
   * Drops every connection and refuses new ones until `restore()`: the server is "down". Name the
   * devices that are online, so the mock queues their messages instead of writing to a dead socket.
   */
  outage(online: MockDevice[]): Promise<{ restore(): void }>;
  /** Gives `contact` a new ACI identity key (a reinstall). Returns the new public key (33 bytes). */
  changeIdentityKey(contact: MockPrimaryDevice): Promise<Uint8Array>;
  /** Stops the server, ending open connections and pending waits; removes the temporary directory. */
  close(): Promise<void>;
  /** The profile avatar the account `aci` set: its CDN 0 key and the encrypted blob, once uploaded. */
  profileAvatarOf(aci: string): { key: string; blob: Buffer | undefined } | undefined;
}

const LOOPBACK = '127.0.0.1';
const PRIMARY_DEVICE_ID = 1;
// A plain server-side failure: clients should reconnect. (4409 would read as "connected elsewhere".)
const INTERNAL_ERROR_CLOSE_CODE = 1011;

class NetworkClosedError extends Error {
  constructor() {
    super('the mock network was closed before the link completed');
  }
}

// The mock's HTTPS server is protected; a subclass may watch it. Tracking sessions and sockets is
// what lets close() finish: http2 close() waits for every session, and clients keep theirs open.
class TrackedServer extends Server {
  readonly sessions = new Set<ServerHttp2Session>();
  readonly sockets = new Set<Socket>();
  /** While true, every new connection is cut at once, as if the server were down. */
  refusing = false;
  /** Devices whose chat WebSockets are accepted and closed at once, as an overloaded server might. */
  readonly droppedOnAccept = new Set<Device>();
  /** Device list, device removal and account deletion, which the mock lacks. */
  private readonly accountRoutes = new AccountRoutes(this);
  /** Profile avatars (upload form, CDN 0 upload and download), which the mock lacks. */
  readonly avatars = new ProfileAvatars(this);

  constructor(config: ConstructorParameters<typeof Server>[0]) {
    super(config);
    extendChatRoutes(this, (router, device) => {
      this.accountRoutes.install(router, device);
      this.avatars.install(router, device);
      installDirectoryRoute(router, device, this);
    });
  }

  override isUnregistered(serviceId: Parameters<Server['isUnregistered']>[0]): boolean {
    return this.accountRoutes.isDeleted(serviceId) || super.isUnregistered(serviceId);
  }

  override async listen(port: number, host?: string): Promise<void> {
    await super.listen(port, host);
    const https = this.httpsServer();
    // Signal-Server refuses a WebSocket upgrade whose credentials are wrong (403: the device was
    // unlinked or the account deleted); the mock accepts it and closes it later, which a client
    // cannot tell from a network failure.
    const mockConnect = https.listeners('connect') as ((req: Http2ServerRequest, res: Http2ServerResponse) => void)[];
    https.removeAllListeners('connect');
    https.on('connect', (req: Http2ServerRequest, res: Http2ServerResponse) => {
      const credentials = basicCredentials(req.headers.authorization);
      void (credentials ? this.auth(credentials.username, credentials.password) : Promise.resolve(null)).then((device) => {
        if (device === undefined) {
          res.writeHead(403);
          res.end();
          return;
        }
        for (const handler of mockConnect) handler.call(https, req, res);
        // Accepted, then cut before the client can use it (see dropOnAccept).
        if (device && this.droppedOnAccept.has(device)) setImmediate(() => res.stream.destroy());
      });
    });
    // CDN 0 avatar requests first; everything else to the mock's own HTTP handler.
    const mockHandlers = https.listeners('request') as ((req: Http2ServerRequest, res: Http2ServerResponse) => void)[];
    https.removeAllListeners('request');
    https.on('request', (req: Http2ServerRequest, res: Http2ServerResponse) => {
      if (this.avatars.handleHttp(req, res)) return;
      for (const handler of mockHandlers) handler.call(https, req, res);
    });
    https.on('session', (session: ServerHttp2Session) => {
      // A client that dies (the tests kill daemons) resets its connection; that must not become
      // an uncaught exception in the process hosting the network.
      session.on('error', () => {});
      this.sessions.add(session);
      session.once('close', () => this.sessions.delete(session));
    });
    // Refused at TCP accept, before TLS and HTTP/2: a connection cut later could still carry a
    // WebSocket upgrade, and the mock would flush queued messages into a dead socket.
    https.on('tlsClientError', () => {});
    https.on('connection', (socket: Socket) => {
      socket.on('error', () => {});
      if (this.refusing) socket.destroy();
    });
    https.on('secureConnection', (socket: Socket) => {
      socket.on('error', () => {});
      if (this.refusing) {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
  }

  /**
   * The mock hands a message for device 1 to the PrimaryDevice it simulates, and drops it (the sender
   * still gets 200) when the primary is a client that registered itself, such as a sigsock account.
   * Such a primary gets it as Signal's server would: over its WebSocket, queued until acknowledged.
   */
  override async handleMessage(...args: Parameters<Server['handleMessage']>): Promise<void> {
    const [source, serviceIdKind, envelopeType, target, encrypted, timestamp] = args;
    if (target.deviceId !== PRIMARY_DEVICE_ID || simulatesPrimary(this, target.aci)) return super.handleMessage(...args);
    const envelope = envelopeFor({ source, serviceIdKind, envelopeType, target, encrypted, timestamp });
    // Not awaited, as the mock does for linked devices: the sender's answer does not wait for delivery.
    void this.send(target, envelope).catch(() => undefined);
  }

  /**
   * Delivers like Signal's server: a message stays queued until the device acknowledged it. The
   * mock drops (and rejects) a queued message whose socket closed mid-delivery, e.g. when the
   * daemon is killed; queue it again instead, for the next connection. The envelope is the same,
   * so a daemon that had already committed it recognises the redelivery.
   */
  override async send(target: Device, message: Buffer<ArrayBuffer>): Promise<void> {
    for (;;) {
      try {
        await super.send(target, message);
        return;
      } catch (err) {
        if (!(err instanceof Error && /WebSocket is gone|WebSocket send error/.test(err.message))) throw err;
      }
    }
  }

  httpsServer(): Http2SecureServer {
    if (!this.https) throw new Error('mock server is not listening');
    return this.https;
  }

  dropAll(): void {
    for (const session of this.sessions) session.destroy();
    for (const socket of this.sockets) socket.destroy();
  }
}

export async function startMockNetwork(options: MockNetworkOptions = {}): Promise<MockNetwork> {
  ensurePromiseWithResolvers();
  const host = options.host ?? LOOPBACK;
  if (host !== LOOPBACK) throw new Error(`the mock network listens on ${LOOPBACK} only`);
  const tempDir = options.stateDir === undefined ? mkdtempSync(join(tmpdir(), 'sigsock-mock-')) : undefined;
  const baseDir = options.stateDir ?? tempDir!;
  const cdn3Path = join(baseDir, 'cdn3');
  // The tus upload store writes <cdn3Path>/attachments/<key> and does not create the folder.
  mkdirSync(join(cdn3Path, 'attachments'), { recursive: true, mode: 0o700 });

  const server = new TrackedServer({ cdn3Path });
  try {
    await server.listen(options.port ?? 0, host);
    const port = server.address().port;
    const serverConfig = await mockServerConfig(host, port);
    return new RunningMockNetwork(server, host, port, serverConfig, cdn3Path, tempDir);
  } catch (err) {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    throw err;
  }
}

/** The ServerConfig of a mock listening on host:port, from the certificates the mock ships. */
async function mockServerConfig(host: string, port: number): Promise<ServerConfig> {
  const certificates = await loadCertificates();
  const trustRoots = certificates.serverTrustRoots.map((b64) => new Uint8Array(Buffer.from(b64, 'base64')));
  const origin = `https://${host}:${port}`;
  return {
    name: 'sandbox',
    kind: 'local',
    chatHost: host,
    chatPort: port,
    rootCertificateDer: pemToDer(certificates.certificateAuthority),
    httpVersion: 2,
    serverTrustRoot: trustRoots[0]!,
    serverTrustRoots: trustRoots,
    zkgroupServerPublicParams: new Uint8Array(Buffer.from(certificates.serverPublicParams, 'base64')),
    // CDN 0 is the mock's in-memory store (contact sync blobs), GET /attachments/<key>. CDN 3 is
    // files under cdn3Path, GET /cdn3/attachments/<key>. The mock has no CDN 2; it maps to CDN 0's
    // route so a download fails with a 404 rather than a connection error.
    cdnUrls: { '0': origin, '2': origin, '3': `${origin}/cdn3` },
    storageUrl: `${origin}/storageService`,
    // The mock has no CDSI enclave; the sandbox answers lookups on its own route (directoryRoute.ts).
    contactDiscovery: 'sandbox',
  };
}

class RunningMockNetwork implements MockNetwork {
  private closing: Promise<void> | undefined;

  constructor(
    readonly server: TrackedServer,
    readonly host: string,
    readonly port: number,
    readonly serverConfig: ServerConfig,
    readonly cdn3Path: string,
    private readonly tempDir: string | undefined,
  ) {}

  profileAvatarOf(aci: string): { key: string; blob: Buffer | undefined } | undefined {
    return this.server.avatars.avatarOf(aci);
  }

  async writeServerConfigFile(path: string): Promise<void> {
    const text = JSON.stringify(serverConfigToFile(this.serverConfig), null, 2) + '\n';
    await writeFile(path, text, { mode: 0o600 });
    // The mode above applies only when the file is created.
    await chmod(path, 0o600);
  }

  createPhone(name: string, options: CreatePhoneOptions = {}): Promise<MockPrimaryDevice> {
    return this.server.createPrimaryDevice({ profileName: name, contacts: options.contacts ?? [] });
  }

  createContact(name: string): Promise<MockPrimaryDevice> {
    return this.server.createPrimaryDevice({ profileName: name });
  }

  // The mock pairs provisioning sockets and waiters through a queue, so either may come first; each
  // side waits up to the mock's timeout (60 s) for the other. Pairing is in order: with several
  // clients provisioning at once, answer them in the order they connected. An URL whose uuid is not
  // the paired socket's makes the mock drop that socket and this answer time out.
  expectLink(phone: MockPrimaryDevice): (provisionUrl: string) => Promise<MockDevice> {
    const pending = this.server.waitForProvision();
    // Until answered, a failure (timeout, close) must not become an unhandled rejection.
    pending.catch(() => undefined);
    return async (provisionUrl) => {
      const provision = await pending;
      const device = (await provision.complete({ provisionURL: provisionUrl, primaryDevice: phone })) as MockDevice | undefined;
      if (!device) throw new NetworkClosedError();
      return device;
    };
  }

  completeLink(phone: MockPrimaryDevice, provisionUrl: string): Promise<MockDevice> {
    return this.expectLink(phone)(provisionUrl);
  }

  async introduce(contact: MockPrimaryDevice, linkedDevice: MockDevice, serviceIdKind = ServiceIdKind.ACI): Promise<void> {
    const key = await linkedDevice.popSingleUseKey(serviceIdKind);
    await contact.addSingleUseKey(linkedDevice, key, serviceIdKind);
  }

  addDevice(contact: MockPrimaryDevice): Promise<MockDevice> {
    return this.server.createSecondaryDevice(contact);
  }

  disconnect(device: MockDevice, code = INTERNAL_ERROR_CLOSE_CODE): boolean {
    return closeDeviceWebSocket(this.server, device, code);
  }

  dropOnAccept(device: MockDevice): { restore(): void } {
    this.server.droppedOnAccept.add(device);
    this.disconnect(device);
    return { restore: () => this.server.droppedOnAccept.delete(device) };
  }

  dropAllConnections(): void {
    this.server.dropAll();
  }

  async outage(online: MockDevice[]): Promise<{ restore(): void }> {
    this.server.refusing = true;
    for (const device of online) this.disconnect(device);
    this.server.dropAll();
    // The mock forgets a socket when its close event arrives; until then it would write to it.
    for (let i = 0; i < 200 && online.some((d) => isDeviceConnected(this.server, d)); i++) await new Promise((r) => setTimeout(r, 10));
    return {
      restore: () => {
        this.server.refusing = false;
      },
    };
  }

  changeIdentityKey(contact: MockPrimaryDevice): Promise<Uint8Array> {
    return replaceAciIdentity(contact);
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    try {
      const closed = this.server.close();
      this.server.dropAll();
      settleServerQueues(this.server, { complete: () => Promise.reject(new NetworkClosedError()) });
      await closed;
    } finally {
      if (this.tempDir) rmSync(this.tempDir, { recursive: true, force: true });
    }
  }
}

/** The user name and password of a Basic authorization header; null without one. */
function basicCredentials(authorization: string | undefined): { username: string; password: string } | null {
  const encoded = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
  if (!encoded) return null;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon > 0 ? { username: text.slice(0, colon), password: text.slice(colon + 1) } : null;
}
