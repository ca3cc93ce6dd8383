import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PublicKey } from '@signalapp/libsignal-client';
import { ServerPublicParams } from '@signalapp/libsignal-client/zkgroup.js';
import {
  contactDiscoveryProtocol,
  derToPem,
  loadServerConfig,
  offersContactDiscovery,
  pemToDer,
  serverConfigToFile,
  type ServerConfig,
  type ServerConfigFile,
} from '../../src/signal/serverConfig.js';
import { withTempDir } from '../support/tempDir.js';

// Any valid-looking certificate body will do: the loader checks PEM framing and base64 only.
const CERT_DER = new Uint8Array(Buffer.from('3082010a0282010100c0ffee', 'hex'));

function validFile(): ServerConfigFile {
  return {
    name: 'test-server',
    chat: { host: '127.0.0.1', port: 8443 },
    httpVersion: 2,
    rootCertificatePem: derToPem(CERT_DER),
    serverTrustRoot: Buffer.concat([Buffer.from([5]), Buffer.alloc(32, 7)]).toString('base64'),
    zkgroupServerPublicParams: Buffer.alloc(40, 1).toString('base64'),
    cdn: { '0': 'https://127.0.0.1:8443', '3': 'https://127.0.0.1:8443/cdn3/' },
    storageUrl: 'https://127.0.0.1:8443/storageService',
  };
}

function loadFrom(dir: string, content: unknown, fileName = 'server.json'): ServerConfig {
  const path = join(dir, fileName);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return loadServerConfig(path);
}

function assertRealEnvironment(config: ServerConfig): void {
  assert.equal(config.serverTrustRoot.length, 33);
  assert.equal(config.serverTrustRoot[0], 0x05);
  for (const root of config.serverTrustRoots) PublicKey.deserialize(new Uint8Array(root));
  assert.deepEqual(config.serverTrustRoots[0], config.serverTrustRoot);
  // Throws unless the bytes are real zkgroup server params for this libsignal version.
  new ServerPublicParams(new Uint8Array(config.zkgroupServerPublicParams));
  assert.equal(config.rootCertificateDer, undefined);
}

test('production is the default and uses the published constants', () => {
  const config = loadServerConfig(undefined);
  assert.deepEqual(loadServerConfig('production'), config);
  assert.equal(config.kind, 'production');
  assert.equal(config.chatHost, 'chat.signal.org');
  assert.equal(Buffer.from(config.serverTrustRoot).toString('base64'), 'BXu6QIKVz5MA8gstzfOgRQGqyLqOwNKHL6INkv3IHWMF');
  assert.equal(config.serverTrustRoots.length, 2);
  assert.deepEqual(config.cdnUrls, { '0': 'https://cdn.signal.org', '2': 'https://cdn2.signal.org', '3': 'https://cdn3.signal.org' });
  assert.equal(config.storageUrl, 'https://storage.signal.org');
  assertRealEnvironment(config);
});

test('staging uses its own constants', () => {
  const config = loadServerConfig('staging');
  assert.equal(config.kind, 'staging');
  assert.equal(config.chatHost, 'chat.staging.signal.org');
  assert.equal(Buffer.from(config.serverTrustRoot).toString('base64'), 'BbqY1DzohE4NUZoVF+L18oUPrK3kILllLEJh2UnPSsEx');
  assert.equal(config.storageUrl, 'https://storage-staging.signal.org');
  assert.notDeepEqual(config.zkgroupServerPublicParams, loadServerConfig('production').zkgroupServerPublicParams);
  assertRealEnvironment(config);
});

test('a server file loads as a local config and round-trips', async () => {
  await withTempDir('sigsock-serverconfig-', (dir) => {
    const config = loadFrom(dir, validFile());
    assert.equal(config.kind, 'local');
    assert.equal(config.name, 'test-server');
    assert.equal(config.chatHost, '127.0.0.1');
    assert.equal(config.chatPort, 8443);
    assert.equal(config.httpVersion, 2);
    assert.deepEqual(config.rootCertificateDer, CERT_DER);
    assert.deepEqual(config.serverTrustRoots, [config.serverTrustRoot]);
    // A trailing slash is dropped because callers append paths.
    assert.equal(config.cdnUrls['3'], 'https://127.0.0.1:8443/cdn3');

    const again = loadFrom(dir, serverConfigToFile(config), 'again.json');
    assert.deepEqual(again, config);
  });
});

test('the name defaults to the file name, httpVersion to 2, extra trust roots are kept', async () => {
  await withTempDir('sigsock-serverconfig-', (dir) => {
    const file: Partial<ServerConfigFile> = validFile();
    delete file.name;
    delete file.httpVersion;
    const extraRoot = Buffer.concat([Buffer.from([5]), Buffer.alloc(32, 9)]).toString('base64');
    file.serverTrustRoots = [file.serverTrustRoot!, extraRoot];
    const config = loadFrom(dir, file, 'my-lab.json');
    assert.equal(config.name, 'my-lab');
    assert.equal(config.httpVersion, 2);
    assert.equal(config.serverTrustRoots.length, 2);
    assert.equal(Buffer.from(config.serverTrustRoots[1]!).toString('base64'), extraRoot);
    assert.deepEqual(serverConfigToFile(config).serverTrustRoots, [extraRoot]);
  });
});

test('a sandbox link URL on loopback is kept and written back', async () => {
  await withTempDir('sigsock-serverconfig-', (dir) => {
    const config = loadFrom(dir, { ...validFile(), sandboxLinkUrl: 'http://127.0.0.1:40123/link' });
    assert.equal(config.sandboxLinkUrl, 'http://127.0.0.1:40123/link');
    assert.equal(serverConfigToFile(config).sandboxLinkUrl, 'http://127.0.0.1:40123/link');
    assert.equal(loadFrom(dir, validFile()).sandboxLinkUrl, undefined);
  });
});

test("a sandbox's contact discovery is kept and written back; other local servers and Signal's own say how to ask", async () => {
  await withTempDir('sigsock-serverconfig-', (dir) => {
    const sandbox = loadFrom(dir, { ...validFile(), contactDiscovery: 'sandbox' });
    assert.equal(serverConfigToFile(sandbox).contactDiscovery, 'sandbox');
    assert.deepEqual([offersContactDiscovery(sandbox), contactDiscoveryProtocol(sandbox)], [true, 'sandbox']);
    const plain = loadFrom(dir, validFile());
    assert.equal(offersContactDiscovery(plain), false, 'a local server without it has none');
    assert.deepEqual([offersContactDiscovery(loadServerConfig('production')), contactDiscoveryProtocol(loadServerConfig('production'))], [true, 'cdsi']);
    assert.throws(() => loadFrom(dir, { ...validFile(), contactDiscovery: 'cdsi' }), /"contactDiscovery" must be "sandbox"/);
  });
});

test('bad server files give errors naming the file and the field', async () => {
  await withTempDir('sigsock-serverconfig-', (dir) => {
    const cases: Array<[string, unknown, RegExp]> = [
      ['not JSON', '{ "chat": ', /not valid JSON/],
      ['an array', [], /\(top level\)" must be a JSON object/],
      ['no chat', { ...validFile(), chat: undefined }, /"chat" must be an object/],
      ['bad port', { ...validFile(), chat: { host: '127.0.0.1', port: 70000 } }, /"chat\.port" must be an integer port/],
      ['no host', { ...validFile(), chat: { port: 1 } }, /"chat\.host" must be a non-empty string/],
      ['remote chat host', { ...validFile(), chat: { host: 'chat.example.org', port: 443 } }, /"chat\.host" must be this machine .*got chat\.example\.org/],
      ['http 3', { ...validFile(), httpVersion: 3 }, /"httpVersion" must be 1 or 2/],
      ['no cert', { ...validFile(), rootCertificatePem: undefined }, /"rootCertificatePem" is missing/],
      ['bad cert', { ...validFile(), rootCertificatePem: 'hello' }, /"rootCertificatePem" is not a PEM certificate/],
      ['no trust root', { ...validFile(), serverTrustRoot: undefined }, /"serverTrustRoot" is missing/],
      ['short trust root', { ...validFile(), serverTrustRoot: 'BQ==' }, /"serverTrustRoot" must be a 33-byte public key/],
      ['bad zk params', { ...validFile(), zkgroupServerPublicParams: 'not base64!' }, /"zkgroupServerPublicParams" is not base64/],
      ['no cdn', { ...validFile(), cdn: undefined }, /"cdn" must be an object/],
      ['http cdn', { ...validFile(), cdn: { '3': 'http://127.0.0.1/cdn3' } }, /"cdn\.3" must be an https URL/],
      ['bad cdn key', { ...validFile(), cdn: { three: 'https://x' } }, /"cdn\.three" is not a CDN number/],
      ['no storage', { ...validFile(), storageUrl: undefined }, /"storageUrl" is missing/],
      ['remote http link', { ...validFile(), sandboxLinkUrl: 'http://example.com/link' }, /"sandboxLinkUrl" must be an https URL, or http on 127/],
    ];
    for (const [label, content, message] of cases) {
      const path = join(dir, 'bad.json');
      writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
      assert.throws(() => loadServerConfig(path), (err: Error) => {
        assert.match(err.message, message, label);
        assert.ok(err.message.includes(path), `${label}: names the file`);
        return true;
      });
    }
  });
});

test('a missing file says how to name an environment', () => {
  assert.throws(() => loadServerConfig('/nonexistent/sigsock-server.json'), /cannot read the file .*'production', 'staging'/);
});

test('pemToDer reads the first certificate and rejects non-PEM text', () => {
  const pem = derToPem(CERT_DER);
  assert.deepEqual(pemToDer(`junk before\n${pem}${pem}`), CERT_DER);
  assert.throws(() => pemToDer('-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----'), /not base64/);
  assert.throws(() => pemToDer('MIIB'), /not a PEM certificate/);
});
