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

test('a provisioning socket is paired with expectLink; close ends the unanswered link', async () => {
  const local = await startMockNetwork();
  const phone = await local.createPhone('Alice');
  const answer = local.expectLink(phone);
  const net = netFor(local.serverConfig);
  const address = new Promise<string>((resolve) => {
    void net.connectProvisioning({
      onReceivedAddress: (addr, ack) => {
        ack.send(200);
        resolve(addr);
      },
      onReceivedEnvelope: (_envelope, ack) => ack.send(200),
      onConnectionInterrupted: () => undefined,
    });
  });
  const uuid = await address;
  const pub = Buffer.from(PrivateKey.generate().getPublicKey().serialize()).toString('base64');
  const linked = answer(`sgnl://linkdevice?uuid=${encodeURIComponent(uuid)}&pub_key=${encodeURIComponent(pub)}`);
  // The client never links, so the answer waits; close must end it instead of its 60 s timer.
  await new Promise((resolve) => setTimeout(resolve, 50));
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
