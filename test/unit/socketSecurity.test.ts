import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GroupSummary, InboxLease } from '../../src/messenger/api.js';
import { tokenCheck } from '../../src/socket/auth.js';
import { startSocketServer } from '../../src/socket/server.js';
import { loadTlsCredentials, type TlsCredentials } from '../../src/util/tls.js';
import { readTokenFile } from '../../src/util/tokenFile.js';
import { StatusCode } from '../../src/socket/statusCodes.js';
import { FakeEngine, fakeLease } from '../support/fakeEngine.js';
import { LineClient as Client } from '../support/lineClient.js';
import { captureClientHello, selfSignedCertificate } from '../support/tlsFixtures.js';
import { withServer } from '../support/withServer.js';
import { withTempDir } from '../support/tempDir.js';

const TOKEN = 'c0ffee'.repeat(8);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- authentication

test('tokenCheck accepts exactly the token', () => {
  const check = tokenCheck(TOKEN);
  assert.equal(check(TOKEN), true);
  for (const wrong of ['', TOKEN.slice(0, -1), TOKEN + 'x', TOKEN.toUpperCase(), ` ${TOKEN}`, 42, null, undefined, [TOKEN], { token: TOKEN }]) {
    assert.equal(check(wrong), false, JSON.stringify(wrong));
  }
  assert.throws(() => tokenCheck(''), /empty/);
});

test('with a token, a command without it is refused with a how-to and nothing runs', async () => {
  await withServer({ authToken: TOKEN }, async ({ client, messenger }) => {
    const c = await client();
    const answer = await c.request(`{command:'list_groups', reqId: 7}`);
    assert.equal(answer.command, 'list_groups');
    assert.equal(answer.reqId, 7);
    assert.equal(answer.statusCode, StatusCode.UNKNOWN);
    assert.match(answer.errorMessage, /authentication required/);
    assert.match(answer.errorMessage, /"command":"auth","token"/);
    assert.match(answer.errorMessage, /"auth":"YOUR_TOKEN"/);
    assert.match(answer.errorMessage, /2 attempts left/);
    assert.equal(messenger.calls, 0);
  });
});

test("the seed's one-liner works with one extra field, auth, and the connection stays authenticated", async () => {
  await withServer({ authToken: TOKEN }, async ({ client, messenger }) => {
    const c = await client();
    assert.deepEqual(await c.request(`{command:'list_groups', auth:'${TOKEN}', reqId:1}`), { command: 'list_groups', reqId: 1, statusCode: 0, groups: [] });
    assert.deepEqual(await c.request(`{command:'list_groups', reqId:2}`), { command: 'list_groups', reqId: 2, statusCode: 0, groups: [] });
    // Once in, a stale auth field on a later command is not checked again.
    assert.equal((await c.request(`{command:'list_groups', auth:'old'}`)).statusCode, 0);
    assert.equal(messenger.calls, 3);
  });
});

test('echo | socat style: the authenticated command is answered after a half-close', async () => {
  await withServer({ authToken: TOKEN }, async ({ client }) => {
    const c = await client();
    c.socket.end(`{command:'receive_messages', timeout: 0, auth:'${TOKEN}'}\n`);
    const answer = await c.next();
    assert.equal(answer.statusCode, 0);
    assert.equal(await c.nextLine(), null);
  });
});

test('an explicit auth command, pipelined with the next command and inside a batch', async () => {
  await withServer({ authToken: TOKEN }, async ({ client, messenger }) => {
    const a = await client();
    a.send(`{"command":"auth","token":"${TOKEN}","reqId":"x"}{"command":"list_groups"}`);
    assert.deepEqual(await a.next(), { command: 'auth', reqId: 'x', statusCode: 0 });
    assert.equal((await a.next()).statusCode, 0);
    // A wrong token after authenticating is reported but changes nothing.
    const late = await a.request(`{"command":"auth","token":"nope"}`);
    assert.equal(late.statusCode, StatusCode.UNKNOWN);
    assert.match(late.errorMessage, /stays authenticated/);
    assert.equal((await a.request(`{"command":"list_groups"}`)).statusCode, 0);

    const b = await client();
    b.send(`[{"command":"list_groups"}, {"command":"auth","token":"${TOKEN}"}, {"command":"list_groups"}]\n`);
    assert.deepEqual(
      [await b.next(), await b.next(), await b.next()].map((r) => [r.command, r.statusCode]),
      [
        ['list_groups', -1],
        ['auth', 0],
        ['list_groups', 0],
      ],
    );
    assert.equal(messenger.calls, 3);
  });
});

test('three failed attempts close the connection; nothing ran and the token is never echoed', async () => {
  await withServer({ authToken: TOKEN }, async ({ client, messenger, logs }) => {
    const c = await client();
    // All three in one write: the third closes the connection, the fourth is never looked at.
    c.send(`{"command":"auth","token":"wrong"}\n{command:'list_groups', auth:'${TOKEN.slice(1)}'}\n{"command":"auth"}\n{command:'list_groups', auth:'${TOKEN}'}\n`);
    const answers = [await c.next(), await c.next(), await c.next()];
    assert.deepEqual(
      answers.map((r) => r.statusCode),
      [-1, -1, -1],
    );
    assert.match(answers[0].errorMessage, /wrong token \(2 attempts left/);
    assert.match(answers[1].errorMessage, /wrong token \(1 attempt left/);
    assert.match(answers[2].errorMessage, /needs "token".*closing the connection/);
    assert.equal(await c.nextLine(), null);
    assert.equal(messenger.calls, 0);
    assert.ok(logs.some((line) => /closing connection from 127\.0\.0\.1:\d+: 3 failed authentication attempts/.test(line)), logs.join('\n'));
    assert.ok(!logs.join('\n').includes(TOKEN.slice(1)));
    assert.ok(!answers.map((a) => JSON.stringify(a)).join('').includes(TOKEN.slice(1)));
  });
});

test('before authenticating, garbage counts as a failed attempt and commands are limited in size', async () => {
  await withServer({ authToken: TOKEN, limits: { maxCommandBytesBeforeAuth: 1024 } }, async ({ client }) => {
    const c = await client();
    const garbage = await c.request('this is not json');
    assert.equal(garbage.statusCode, StatusCode.INVALID_JSON);
    assert.match(garbage.errorMessage, /not authenticated yet \(2 attempts left/);
    const big = await c.request(`{command:'send_message', auth:'${TOKEN}', recipient:'+4915112345678', dataMessage:{message:'${'x'.repeat(4096)}'}}`);
    assert.equal(big.statusCode, StatusCode.INVALID_JSON);
    assert.match(big.errorMessage, /exceeds 1024 bytes.*not authenticated yet/);
    // Authenticated, the normal limit applies.
    assert.equal((await c.request(`{"command":"auth","token":"${TOKEN}"}`)).statusCode, 0);
    const ok = await c.request(`{command:'send_message', recipient:'+4915112345678', dataMessage:{message:'${'x'.repeat(4096)}'}}`);
    assert.equal(ok.statusCode, 0);
  });
});

test('without a token, auth commands succeed and auth fields are ignored', async () => {
  await withServer({}, async ({ client }) => {
    const c = await client();
    assert.deepEqual(await c.request(`{command:'auth', token:'anything'}`), { command: 'auth', statusCode: 0 });
    assert.equal((await c.request(`{command:'list_groups', auth:'anything'}`)).statusCode, 0);
  });
});

test('the token file: private, one line; anything else is refused with what to do', async () => {
  await withTempDir('sigsock-token-', async (dir) => {
    const file = join(dir, 'token');
    writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
    assert.equal(readTokenFile(file), TOKEN);
    writeFileSync(file, `  ${TOKEN}\r\n`);
    assert.equal(readTokenFile(file), TOKEN);
    for (const mode of [0o640, 0o604, 0o620, 0o644]) {
      chmodSync(file, mode);
      assert.throws(() => readTokenFile(file), new RegExp(`accessible to other users \\(mode 0${mode.toString(8)}\\).*chmod 600`));
    }
    chmodSync(file, 0o600);
    writeFileSync(file, '\n');
    assert.throws(() => readTokenFile(file), /is empty; create a token with: openssl rand -hex 32/);
    writeFileSync(file, 'one\ntwo\n');
    assert.throws(() => readTokenFile(file), /exactly one line/);
    assert.throws(() => readTokenFile(join(dir, 'missing')), /ENOENT/);
    assert.throws(() => readTokenFile(dir), /not a regular file/);
  });
});

// ---------------------------------------------------------------- TLS

test('TLS: same protocol, with auth and a half-close; plain-text clients get nothing', async () => {
  await withTempDir('sigsock-tls-', async (dir) => {
    const { certPath, keyPath } = selfSignedCertificate(dir);
    const warnings: string[] = [];
    const tls: TlsCredentials = loadTlsCredentials(certPath, keyPath, (line) => warnings.push(line));
    assert.deepEqual(warnings, []);
    await withServer({ tls, authToken: TOKEN }, async ({ server, messenger, logs }) => {
      messenger.sendTimestamp = () => 1700000000000;
      assert.equal(server.address, `tls://127.0.0.1:${server.port}`);
      assert.deepEqual(logs, [`listening on tls://127.0.0.1:${server.port}`]);
      const ca = readFileSync(certPath);
      const c = await Client.openTls(server.port!, ca);
      try {
        assert.equal((await c.request(`{command:'list_groups'}`)).statusCode, -1);
        assert.deepEqual(await c.request(`{command:'list_groups', auth:'${TOKEN}', reqId:'t'}`), { command: 'list_groups', reqId: 't', statusCode: 0, groups: [] });
        c.socket.end(`{"command":"send_message","recipient":"+4915112345678","dataMessage":{"message":"over TLS"}}\n`);
        assert.equal((await c.next()).timestamp, 1700000000000);
        assert.equal(await c.nextLine(), null);
      } finally {
        c.close();
      }
      const plain = await Client.open(server.port!);
      try {
        plain.send(`{command:'list_groups', auth:'${TOKEN}'}\n`);
        assert.equal(await plain.nextLine(), null);
      } finally {
        plain.close();
      }
      assert.equal(messenger.calls, 2);
    });
  });
});

test('TLS: a client that has not finished its handshake when the timeout ends is dropped; one that finished stays', async () => {
  await withTempDir('sigsock-tls-', async (dir) => {
    const { certPath, keyPath } = selfSignedCertificate(dir);
    const tls = loadTlsCredentials(certPath, keyPath, () => {});
    const hello = await captureClientHello();
    const timeoutMs = 400;
    await withServer({ tls, limits: { tlsHandshakeTimeoutMs: timeoutMs } }, async ({ server }) => {
      const port = server.port!;
      const done = await Client.openTls(port, readFileSync(certPath));
      const started = Date.now();
      const silent = await Client.open(port);
      const halfHello = await Client.open(port);
      halfHello.socket.write(hello.subarray(0, hello.length >> 1));
      // A whole ClientHello and then nothing: the server's answer is never acknowledged.
      const stalled = await Client.open(port);
      stalled.socket.write(hello);
      try {
        for (const [what, c] of [['a silent client', silent], ['half a ClientHello', halfHello], ['a whole ClientHello', stalled]] as const) {
          assert.equal(await c.closedWithin(20 * timeoutMs), true, `${what}: still connected`);
        }
        assert.ok(Date.now() - started >= timeoutMs - 50, `dropped after ${Date.now() - started} ms, before the timeout`);
        // The timeout is over for all of them; the client that completed its handshake is still served.
        assert.deepEqual(await done.request(`{command:'list_groups', reqId:'tls'}`), { command: 'list_groups', reqId: 'tls', statusCode: 0, groups: [] });
      } finally {
        for (const c of [done, silent, halfHello, stalled]) c.close();
      }
    });
  });
});

test('TLS: a key that does not match the certificate is refused at startup; a readable key is warned about', async () => {
  await withTempDir('sigsock-tls-', async (dir) => {
    const first = selfSignedCertificate(join(dir));
    const otherDir = join(dir, 'other');
    execFileSync('mkdir', [otherDir]);
    const second = selfSignedCertificate(otherDir);
    assert.throws(() => loadTlsCredentials(first.certPath, second.keyPath, () => {}), /cannot use .*cert\.pem with .*key\.pem/);
    assert.throws(() => loadTlsCredentials(join(dir, 'nope.pem'), first.keyPath, () => {}), /cannot read the TLS certificate .*ENOENT/);
    chmodSync(first.keyPath, 0o644);
    const warnings: string[] = [];
    loadTlsCredentials(first.certPath, first.keyPath, (line) => warnings.push(line));
    assert.match(warnings.join('\n'), /accessible to other users; consider: chmod 600/);
  });
});

test('TLS cannot be combined with a Unix socket', async () => {
  await assert.rejects(
    startSocketServer({ messenger: new FakeEngine(), path: '/tmp/x.sock', tls: { cert: '', key: '' }, log: () => {} }),
    /TCP only/,
  );
});

// ---------------------------------------------------------------- limits and hostile clients

test('connection cap: one more client gets one error line and is closed; a freed slot is reused', async () => {
  await withServer({ limits: { maxConnections: 2 } }, async ({ client, logs }) => {
    const a = await client();
    const b = await client();
    // An answer proves the server registered the connection.
    assert.equal((await a.request(`{command:'list_groups'}`)).statusCode, 0);
    assert.equal((await b.request(`{command:'list_groups'}`)).statusCode, 0);
    const refused = await client();
    const line = await refused.next();
    assert.equal(line.statusCode, StatusCode.UNKNOWN);
    assert.equal(line.command, null);
    assert.match(line.errorMessage, /too many connections: this daemon serves at most 2 at once/);
    assert.equal(await refused.nextLine(), null);
    assert.equal(logs.filter((l) => /connection limit of 2 reached/.test(l)).length, 1);
    // The others were not disturbed.
    assert.equal((await a.request(`{command:'list_groups'}`)).statusCode, 0);

    b.close();
    for (let attempt = 0; ; attempt++) {
      const c = await client();
      const answer = await c.request(`{command:'list_groups'}`);
      if (answer.statusCode === 0) break;
      assert.ok(attempt < 50, 'the freed slot was never reused');
      await sleep(20);
    }
  });
});

test('idle timeout: an idle client is closed, a waiting receive_messages is not idle', async () => {
  await withServer({ limits: { idleTimeoutMs: 150 } }, async ({ client, messenger }) => {
    const idle = await client();
    const busy = await client();
    let deliver!: (lease: InboxLease) => void;
    messenger.onTake = () => new Promise((resolve) => (deliver = resolve));
    busy.send(`{command:'receive_messages', timeout: 60000}\n`);
    assert.equal(await idle.closedWithin(2000), true, 'the idle client was not closed');
    // The marker: a client that connects only now, and stays idle, is closed. By then the busy one
    // had been without a command for longer than the idle timeout.
    const later = await client();
    assert.equal(await later.closedWithin(2000), true, 'the later idle client was not closed');
    assert.equal(busy.isClosed, false, 'a client waiting for messages was closed as idle');
    deliver(fakeLease([]));
    assert.deepEqual(await busy.next(), { command: 'receive_messages', statusCode: 0, messages: [] });
    // Once answered, it is idle again.
    assert.equal(await busy.closedWithin(2000), true);
  });
});

test('idle timeout: activity keeps a connection open', async () => {
  await withServer({ limits: { idleTimeoutMs: 200 } }, async ({ client }) => {
    const c = await client();
    for (let i = 0; i < 8; i++) {
      await sleep(80);
      assert.equal((await c.request(`{command:'list_groups'}`)).statusCode, 0);
    }
  });
});

test('a client that never reads: reading stops, memory stays bounded, others are served, and idle closes it', async () => {
  const bigGroups: GroupSummary[] = Array.from({ length: 500 }, (_, i) => ({
    groupId: Buffer.alloc(32, i).toString('base64'),
    title: `group ${i} ${'x'.repeat(100)}`,
    members: [],
    pendingMembers: [],
    isMember: true,
    revision: 1,
  }));
  await withServer({ limits: { idleTimeoutMs: 1500, maxPendingPerConnection: 16 } }, async ({ client, messenger, untilLogged }) => {
    messenger.groups = bigGroups;
    const hog = await client();
    hog.socket.pause();
    // One write of 20,000 commands (≈ 1.5 GB of answers if all ran); the client never reads.
    const command = `{command:'list_groups'}`;
    hog.send(command.repeat(20_000));
    const heapBefore = process.memoryUsage().heapUsed;
    await sleep(500);
    const ran = messenger.calls;
    assert.ok(ran < 200, `${ran} commands ran for a client that reads nothing`);

    const other = await client();
    for (let i = 0; i < 5; i++) assert.equal((await other.request(`{command:'trust', recipient:'+4915112345678'}`)).statusCode, 0);
    const growth = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(growth < 64 * 1024 * 1024, `heap grew by ${growth} bytes`);
    assert.ok(messenger.calls - ran <= 5 + 1, 'the hog made progress without reading');

    // A paused client does not notice the close; it finds out once it reads again. Had the server not
    // cut it, reading would start a stream of about 1.5 GB of answers instead of an end within moments.
    // Both clients are idle now: wait until the server has closed both (the hog and the other one).
    await untilLogged(/closing connection.*: idle for 1500 ms/, 2);
    hog.socket.resume();
    assert.equal(await hog.closedWithin(500), true, 'the client that never reads was not closed as idle');
  });
});

test('a never-ending line over TCP is discarded without buffering, and the connection recovers', async () => {
  await withServer({ limits: { maxCommandBytes: 1024 * 1024 } }, async ({ client }) => {
    const c = await client();
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const heapBefore = process.memoryUsage().heapUsed;
    c.send(`{"command":"send_message","recipient":"+4915112345678","dataMessage":{"message":"`);
    // 128 MiB, respecting the client's own backpressure.
    for (let i = 0; i < 2048; i++) {
      if (!c.socket.write(chunk)) await new Promise((resolve) => c.socket.once('drain', resolve));
    }
    c.send(`"}}\n{command:'list_groups', reqId: 'after'}\n`);
    const tooLarge = await c.next();
    assert.equal(tooLarge.statusCode, StatusCode.INVALID_JSON);
    assert.match(tooLarge.errorMessage, /exceeds 1048576 bytes/);
    assert.deepEqual(await c.next(), { command: 'list_groups', reqId: 'after', statusCode: 0, groups: [] });
    const growth = process.memoryUsage().heapUsed - heapBefore;
    assert.ok(growth < 48 * 1024 * 1024, `heap grew by ${growth} bytes`);
  });
});

test('a 9 MB batch of empty objects from a client that does not read: one error, bounded memory, the next line is answered', async () => {
  await withServer({}, async ({ client, messenger }) => {
    const c = await client();
    c.socket.pause();
    // Some three million values in 9 MB of text; parsed, they took half a gigabyte.
    const input = `[${'{},'.repeat(3_000_000)}{}]\n{command:'list_groups', reqId:'after'}\n`;
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    try {
      await new Promise((resolve) => c.socket.write(input, resolve));
      c.socket.resume();
      const tooMany = await c.next();
      assert.equal(tooMany.statusCode, StatusCode.INVALID_JSON);
      assert.equal(tooMany.command, null);
      assert.match(tooMany.errorMessage, /more than 100000 values in one command or batch; it was discarded/);
      assert.deepEqual(await c.next(), { command: 'list_groups', reqId: 'after', statusCode: 0, groups: [] });
      assert.equal(messenger.calls, 1);
    } finally {
      clearInterval(sampler);
    }
    const growth = Math.max(peak, process.memoryUsage().heapUsed) - heapBefore;
    assert.ok(growth < 64 * 1024 * 1024, `heap grew by ${growth} bytes`);
  });
});

test('a batch at the value limit is run, element by element', async () => {
  await withServer({ limits: { maxCommandValues: 1 + 3 * 2 } }, async ({ client }) => {
    const c = await client();
    // The array, and per element the object and its command string.
    c.send(`[{command:'list_groups'}, {command:'list_groups'}, {command:'list_groups'}]\n[{command:'list_groups'}, {command:'list_groups'}, {command:'list_groups'}, {}]\n`);
    for (let i = 0; i < 3; i++) assert.equal((await c.next()).statusCode, 0);
    assert.match((await c.next()).errorMessage, /more than 7 values/);
  });
});

test('after a nesting error the next line is answered, though the brackets never balance', async () => {
  await withServer({}, async ({ client }) => {
    const c = await client();
    c.socket.end(`${'['.repeat(1001)}\n{command:'list_groups', reqId:'next'}\n`);
    const tooDeep = await c.next();
    assert.equal(tooDeep.statusCode, StatusCode.INVALID_JSON);
    assert.match(tooDeep.errorMessage, /line 1, column 1001 \(byte 1000\): nesting deeper than 1000 levels/);
    assert.deepEqual(await c.next(), { command: 'list_groups', reqId: 'next', statusCode: 0, groups: [] });
    assert.equal(await c.nextLine(), null);
  });
});

test('a numeric reqId is echoed with exactly the text sent, in every kind of answer', async () => {
  await withServer({ authToken: TOKEN }, async ({ client }) => {
    const c = await client();
    c.send(`{command:'list_groups', reqId: 9007199254740993}\n`);
    assert.match((await c.nextLine())!, /^\{"command":"list_groups","reqId":9007199254740993,"statusCode":-1,"errorMessage":"authentication required: /);
    c.send(`{command:'auth', token:'${TOKEN}', reqId: 12345678901234567890}\n`);
    assert.equal(await c.nextLine(), '{"command":"auth","reqId":12345678901234567890,"statusCode":0}');
    c.send(`[{command:'list_groups', reqId: 1e400}, {command:'fly', reqId: -0.50}, {reqId: 7}, {command:'receive_messages', timeout: 0, reqId: 1E+2}]\n`);
    assert.equal(await c.nextLine(), '{"command":"list_groups","reqId":1e400,"statusCode":0,"groups":[]}');
    assert.match((await c.nextLine())!, /^\{"command":"fly","reqId":-0.50,"statusCode":1,"errorMessage":"unknown command 'fly'; /);
    assert.match((await c.nextLine())!, /^\{"command":null,"reqId":7,"statusCode":1,"errorMessage":"missing command; /);
    assert.equal(await c.nextLine(), '{"command":"receive_messages","reqId":1E+2,"statusCode":0,"messages":[]}');
    // Only the reqId: other numbers are read as numbers, and a string reqId stays a string.
    c.send(`{command:'trust', recipient:'+4915112345678', verified: 1e400, reqId: '9007199254740993'}\n`);
    assert.equal(await c.nextLine(), '{"command":"trust","reqId":"9007199254740993","statusCode":0,"recipient":"+4915112345678","aci":"+4915112345678","safetyNumber":null}');
  });
});

test('a Unix socket is created 0600 (also with a token)', async () => {
  await withTempDir('sigsock-', async (dir) => {
    const path = join(dir, 'daemon.sock');
    const server = await startSocketServer({ messenger: new FakeEngine(), path, authToken: TOKEN, log: () => {} });
    try {
      assert.equal(statSync(path).mode & 0o777, 0o600);
    } finally {
      await server.close();
    }
  });
});
