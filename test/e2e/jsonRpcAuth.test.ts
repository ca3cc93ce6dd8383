// The seed socket's auth token and TLS on JSON-RPC's network transports, through the real daemon:
// `daemon --tcp --http --auth-token-file F --tls-cert C --tls-key K`. On HTTP a bearer token; on TCP
// an `auth` request first. Wrong or missing tokens are refused and run nothing; the right one works,
// and notifications start only once the client is in.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { spawnDaemon, waitForLog, type Daemon } from '../support/daemon.js';
import { LineClient } from '../support/lineClient.js';
import { selfSignedCertificate } from '../support/tlsFixtures.js';
import { httpCall, httpPortOf, openEvents, postRpc, tlsRpc } from './httpRpcClient.js';

const TOKEN = 'c0ffee'.repeat(8);

describe('auth token and TLS on JSON-RPC over TCP and HTTP', () => {
  let f: LinkedFixture;
  let daemon: Daemon;
  let httpPort: number;
  let seedPort: number;
  let dir: string;
  let ca: Buffer;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sigsock-rpc-auth-'));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, TOKEN + '\n');
    chmodSync(tokenFile, 0o600);
    const { certPath, keyPath } = selfSignedCertificate(dir);
    ca = readFileSync(certPath);
    f = await linkedAccount();
    daemon = await spawnDaemon(
      f,
      ['daemon', '--tcp=127.0.0.1:0', '--http=127.0.0.1:0', '--seed-socket=0', '--auth-token-file', tokenFile, '--tls-cert', certPath, '--tls-key', keyPath],
      /JSON-RPC listening on tls:\/\/[^\s]*:(\d+)/,
    );
    await waitForLog(daemon, /^\S+ listening on tls:/m);
    seedPort = Number(/^\S+ listening on tls:\/\/[^\s]*:(\d+)/m.exec(daemon.stderr())![1]);
    httpPort = await httpPortOf(daemon);
    await f.introduce(f.carol);
  });
  after(async () => {
    const code = await daemon?.stop();
    await f?.close();
    rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 0, 'the daemon exits 0 on SIGTERM');
  });

  it('HTTPS: a missing or wrong bearer token gets 401 and runs nothing; the right one works', async () => {
    const version = { jsonrpc: '2.0', method: 'version', id: 1 };
    const missing = await postRpc(httpPort, version, { ca });
    assert.equal(missing.status, 401);
    assert.match(String(missing.headers['www-authenticate']), /^Bearer/);
    assert.equal((await postRpc(httpPort, version, { ca, token: 'wrong' })).status, 401);
    assert.equal((await openEvents(httpPort, '', { ca })).status, 401);
    const right = await postRpc(httpPort, version, { ca, token: TOKEN });
    assert.equal(right.status, 200);
    assert.equal(typeof right.json().result.version, 'string');
    // The health check tells nothing but "up": no token needed, as for signal-cli's.
    assert.equal((await httpCall(httpPort, 'GET', '/api/v1/check', undefined, { ca })).status, 200);
  });

  it('TLS on TCP: nothing runs and nothing is pushed before `auth`; three refusals close the connection', async () => {
    const stranger = await tlsRpc(daemon.port, ca);
    const refused = await stranger.call('send', { recipient: f.bob.device.number, message: 'should not go' });
    assert.equal(refused.error.code, -32001, JSON.stringify(refused));
    assert.match(refused.error.message, /authentication required/);
    assert.equal((await stranger.call('auth', { token: 'wrong' })).error.code, -32001);
    const last = await stranger.call('version');
    assert.match(last.error.message, /closing the connection/);
    await new Promise((r) => stranger.socket.once('close', r));

    await f.carol.sendText(f.device, 'for the client with the token');
    const client = await tlsRpc(daemon.port, ca);
    // The message waits: an unauthenticated connection is pushed nothing (a push would have come
    // before this answer: the message was waiting when the client connected).
    assert.equal((await client.call('version')).error.code, -32001);
    await assert.rejects(client.notification(0), /timed out/);
    assert.deepEqual((await client.call('auth', { token: TOKEN })).result, {});
    const n = await client.notification();
    assert.equal(n.envelope.dataMessage.message, 'for the client with the token');
    assert.equal(typeof (await client.call('version')).result.version, 'string');
    client.socket.destroy();
  });

  it('the seed socket served beside JSON-RPC (--seed-socket) takes the same token and TLS', async () => {
    const seed = await LineClient.openTls(seedPort, ca);
    const refused = await seed.request({ command: 'list_groups' });
    assert.match(String(refused.errorMessage ?? JSON.stringify(refused)), /authentication required/);
    const ok = await seed.request({ command: 'list_groups', auth: TOKEN });
    assert.equal(ok.statusCode, 0, JSON.stringify(ok));
    seed.close();
  });
});
