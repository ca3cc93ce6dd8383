import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PrivateKey } from '@signalapp/libsignal-client';
import { Net } from '@signalapp/libsignal-client/dist/net.js';
import { startMockNetwork, type MockNetwork } from '../../src/sandbox/mockNetwork.js';
import { derToPem, loadServerConfig, type ServerConfig } from '../../src/signal/serverConfig.js';

const USER_AGENT = 'sigsock-test';
const UNUSED_PORT = 9;

function netFor(config: ServerConfig): Net {
  return new Net({
    localTestServer: true,
    userAgent: USER_AGENT,
    TESTING_localServer_chatPort: config.chatPort,
    TESTING_localServer_cdsiPort: UNUSED_PORT,
    TESTING_localServer_svr2Port: UNUSED_PORT,
    TESTING_localServer_svrBPort: UNUSED_PORT,
    TESTING_localServer_rootCertificateDer: new Uint8Array(config.rootCertificateDer!),
    TESTING_localServer_httpVersion: 2,
  });
}

function httpsGet(config: ServerConfig, url: string): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: derToPem(config.rootCertificateDer!), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let network: MockNetwork;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sigsock-mocknet-'));
  network = await startMockNetwork();
});

after(async () => {
  await network.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the server file round-trips through loadServerConfig', async () => {
  const path = join(dir, 'server.json');
  await network.writeServerConfigFile(path);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const loaded = loadServerConfig(path);
  assert.deepEqual(loaded, network.serverConfig);
  assert.equal(loaded.kind, 'local');
  assert.equal(loaded.chatPort, network.port);
  assert.equal(loaded.serverTrustRoot.length, 33);
});

test('our libsignal Net opens an unauthenticated chat connection to the mock', async () => {
  const net = netFor(network.serverConfig);
  const chat = await net.connectUnauthenticatedChat({ onConnectionInterrupted: () => undefined });
  try {
    const res = await chat.fetch({ verb: 'GET', path: '/v1/keepalive', headers: [] });
    assert.equal(res.status, 200);
  } finally {
    await chat.disconnect();
  }
});

test('CDN 3 downloads and the storage service are where the config says', async () => {
  const config = network.serverConfig;
  const blob = new Uint8Array(Buffer.from('encrypted attachment bytes'));
  await network.server.storeAttachmentOnCdn(3, 'test-key', blob);
  const download = await httpsGet(config, `${config.cdnUrls['3']}/attachments/test-key`);
  assert.equal(download.status, 200);
  assert.deepEqual(new Uint8Array(download.body), blob);

  // Only routes under the storage namespace carry this header (a wrong base gives a 401 instead).
  const groups = await httpsGet(config, `${config.storageUrl}/v2/groups`);
  assert.ok(groups.headers['x-signal-timestamp'], `storage namespace reached (HTTP ${groups.status})`);
});

test('disconnect() and dropAllConnections() end a device chat connection', async () => {
  // A primary with a known password stands in for a linked device: both authenticate as ACI.deviceId.
  const bob = await network.server.createPrimaryDevice({ profileName: 'Bob', password: 'bob-password' });
  const net = netFor(network.serverConfig);
  for (const drop of [() => network.disconnect(bob.device), () => (network.dropAllConnections(), true)]) {
    let interrupted!: (cause: Error | null) => void;
    const cause = new Promise<Error | null>((resolve) => (interrupted = resolve));
    const chat = await net.connectAuthenticatedChat(`${bob.device.aci}.${bob.device.deviceId}`, 'bob-password', false, {
      onIncomingMessage: (_envelope, _timestamp, ack) => ack.send(200),
      onQueueEmpty: () => undefined,
      onReceivedAlerts: () => undefined,
      onConnectionInterrupted: (err) => interrupted(err),
    });
    // An authenticated answer means the mock has registered the socket for the device.
    assert.equal((await chat.fetch({ verb: 'GET', path: '/v1/accounts/whoami', headers: [] })).status, 200);
    assert.equal(drop(), true);
    assert.ok(await cause, 'interrupted with an error');
  }
  assert.equal(network.disconnect(bob.device), false, 'no socket left');
});

test('a provisioning socket is paired with expectLink; close ends the unanswered link', async () => {
  const local = await startMockNetwork();
  const phone = await local.createPhone('Alice');
  const answer = local.expectLink(phone);
  const net = netFor(local.serverConfig);
  let gotEnvelope!: (envelope: Uint8Array) => void;
  const envelope = new Promise<Uint8Array>((resolve) => (gotEnvelope = resolve));
  const address = new Promise<string>((resolve) => {
    void net.connectProvisioning({
      onReceivedAddress: (addr, ack) => {
        ack.send(200);
        resolve(addr);
      },
      onReceivedEnvelope: (body, ack) => {
        ack.send(200);
        gotEnvelope(body);
      },
      onConnectionInterrupted: () => undefined,
    });
  });
  const uuid = await address;
  const pub = Buffer.from(PrivateKey.generate().getPublicKey().serialize()).toString('base64');
  const linked = answer(`sgnl://linkdevice?uuid=${encodeURIComponent(uuid)}&pub_key=${encodeURIComponent(pub)}`);
  // The phone answered: the client gets the encrypted ProvisionMessage.
  assert.ok((await envelope).length > 0);
  // The client never sends PUT /v1/devices/link, so the answer waits; close must end it instead of
  // the mock's 60 s timer.
  const started = Date.now();
  await local.close();
  await assert.rejects(linked, /closed before the link completed/);
  assert.ok(Date.now() - started < 5000, 'close returned promptly');
});

test('close resolves with a chat connection still open, and the process exits promptly', () => {
  // A separate process, so that a stray handle or timer shows up as a slow exit.
  const here = fileURLToPath(import.meta.url);
  const mockNetworkUrl = pathToFileURL(join(here, '../../../src/sandbox/mockNetwork.js')).href;
  const netUrl = import.meta.resolve('@signalapp/libsignal-client/dist/net.js');
  const script = `
    import { startMockNetwork } from ${JSON.stringify(mockNetworkUrl)};
    import { Net } from ${JSON.stringify(netUrl)};
    const network = await startMockNetwork();
    const c = network.serverConfig;
    const net = new Net({ localTestServer: true, userAgent: 't', TESTING_localServer_chatPort: c.chatPort,
      TESTING_localServer_cdsiPort: 9, TESTING_localServer_svr2Port: 9, TESTING_localServer_svrBPort: 9,
      TESTING_localServer_rootCertificateDer: new Uint8Array(c.rootCertificateDer), TESTING_localServer_httpVersion: 2 });
    await net.connectUnauthenticatedChat({ onConnectionInterrupted: () => {} });
    const phone = await network.createPhone('Alice');
    network.expectLink(phone)('sgnl://linkdevice?uuid=x&pub_key=y').catch(() => {});
    await network.close();
    console.log('closed');
  `;
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  const elapsed = Date.now() - started;
  assert.equal(result.status, 0, `exit status ${result.status}, signal ${result.signal}: ${result.stderr}`);
  assert.match(result.stdout, /closed/);
  assert.ok(elapsed < 10_000, `process took ${elapsed} ms to exit`);
});

test('changeIdentityKey gives a contact a working new identity; addDevice adds device 2', async () => {
  const alice = await network.createContact('Alice');
  const carol = await network.createContact('Carol');
  const before = Buffer.from((await carol.device.getIdentityKey()).serialize());

  const after = await network.changeIdentityKey(carol);
  assert.ok(!before.equals(Buffer.from(after)), 'a new key');
  assert.ok(Buffer.from((await carol.device.getIdentityKey()).serialize()).equals(Buffer.from(after)), 'served by the mock');

  // Carol seals with a fresh certificate and session under the new key; Alice decrypts it.
  await network.introduce(carol, alice.device);
  await alice.receive(carol.device, await carol.encryptText(alice.device, 'new me', { sealed: true }));
  assert.equal((await alice.waitForMessage()).body, 'new me');
  // Alice encrypts to Carol's new prekeys; Carol decrypts with her new identity.
  await network.introduce(alice, carol.device);
  await carol.receive(alice.device, await alice.encryptText(carol.device, 'hello again'));
  assert.equal((await carol.waitForMessage()).body, 'hello again');

  const second = await network.addDevice(carol);
  assert.equal(second.deviceId, 2);
  assert.equal(second.aci, carol.device.aci);
});
