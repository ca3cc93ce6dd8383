// Issue 17's multi-account mode through the real daemon: `daemon` without -a serves every account of
// the data directory (two registered on one sandbox network), requests name params.account,
// notifications carry the account; register/verify and startLink/finishLink add an account that is
// served at once, without a restart.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { twoSandboxAccounts, type TwoAccounts } from '../support/sandboxAccounts.js';
import { BIN, globalArgs, linkedAccount, MOCK_CODE, type LinkedFixture } from '../support/harness.js';
import { spawnDaemon, waitForLog, type Daemon } from '../support/daemon.js';
import { scrubNumber } from '../../src/util/log.js';
import { within } from '../support/contactActions.js';
import { tcpRpc, type RpcClient } from './jsonRpcClient.js';
import { httpPortOf, openEvents, postRpc } from './httpRpcClient.js';

const LISTENING = /JSON-RPC listening on tcp:\/\/[^\s]*:(\d+)/;

/** The next notification for `account` whose envelope matches; others are passed over. */
async function notificationFor(c: RpcClient, account: string, match: (envelope: any) => boolean): Promise<any> {
  for (;;) {
    const params = await c.notification(20_000);
    if (params.account === account && match(params.envelope)) return params;
  }
}

describe('multi-account mode: daemon without -a', () => {
  let two: TwoAccounts;
  let daemon: Daemon;
  let httpPort: number;
  before(async () => {
    two = await twoSandboxAccounts(['+15005550301', '+15005550302'], 'multi');
    daemon = await spawnDaemon({ spawn: (args) => two.spawnWithoutAccount(args) }, ['daemon', '--tcp=127.0.0.1:0', '--http=127.0.0.1:0'], LISTENING);
    httpPort = await httpPortOf(daemon);
  });
  after(async () => {
    const code = await daemon?.stop();
    two?.close();
    assert.equal(code, 0, 'the daemon exits 0 on SIGTERM');
  });

  it('serves both accounts: listAccounts, a send naming params.account, the notification naming the receiving account', async () => {
    const c = await tcpRpc(daemon.port);
    const listed = await c.call('listAccounts');
    assert.deepEqual(listed.result, [{ number: two.alice.number }, { number: two.bob.number }]);
    const sent = await c.call('send', { account: two.alice.number, recipient: [two.bob.aci], message: 'alice to bob, one daemon' });
    assert.equal(sent.result?.results?.[0]?.type, 'SUCCESS', JSON.stringify(sent));
    const got = await notificationFor(c, two.bob.number, (e) => e.dataMessage?.message === 'alice to bob, one daemon');
    assert.equal(got.envelope.sourceUuid, two.alice.aci);
    const reply = await c.call('send', { account: two.bob.number, recipient: two.alice.aci, message: 'bob back' });
    assert.equal(reply.result?.results?.[0]?.type, 'SUCCESS', JSON.stringify(reply));
    const back = await notificationFor(c, two.alice.number, (e) => e.dataMessage?.message === 'bob back');
    assert.equal(back.envelope.sourceUuid, two.bob.aci);
    c.socket.destroy();
  });

  it("says in its log which account a line is about (a scrubbed prefix), and logs no message body", async () => {
    const escaped = (number: string) => scrubNumber(number).replace(/[+*]/g, (c) => `\\${c}`);
    for (const number of [two.alice.number, two.bob.number]) {
      await waitForLog(daemon, new RegExp(`^\\S+ \\[${escaped(number)}\\] chat: connected$`, 'm'));
    }
    assert.doesNotMatch(daemon.stderr(), /^\S+ chat: connected$/m, 'no engine line without its account');
    assert.doesNotMatch(daemon.stderr(), /alice to bob|bob back/, 'no message body');
  });

  it("GET /api/v1/events without ?account= streams every account's notifications, as signal-cli's; with it, that account's", async () => {
    const events = await openEvents(httpPort);
    try {
      assert.equal(events.status, 200);
      const send = (from: string, to: string, message: string) =>
        postRpc(httpPort, { jsonrpc: '2.0', method: 'send', params: { account: from, recipient: to, message }, id: 1 }).then((r) => r.json());
      assert.equal((await send(two.alice.number, two.bob.aci, 'to bob, on the stream')).result?.results?.[0]?.type, 'SUCCESS');
      assert.equal((await send(two.bob.number, two.alice.aci, 'to alice, on the stream')).result?.results?.[0]?.type, 'SUCCESS');
      const got = new Map<string, string>();
      while (got.size < 2) {
        const event = await events.next();
        const message = event.envelope?.dataMessage?.message;
        if (typeof message === 'string' && message.endsWith('on the stream')) got.set(event.account, message);
      }
      assert.deepEqual(Object.fromEntries(got), { [two.bob.number]: 'to bob, on the stream', [two.alice.number]: 'to alice, on the stream' });
    } finally {
      events.destroy();
    }
    const onlyBob = await openEvents(httpPort, `?account=${encodeURIComponent(two.bob.number)}`);
    try {
      await postRpc(httpPort, { jsonrpc: '2.0', method: 'send', params: { account: two.alice.number, recipient: two.bob.aci, message: 'bob only' }, id: 1 });
      let event;
      do event = await onlyBob.next();
      while (event.envelope?.dataMessage?.message !== 'bob only');
      assert.equal(event.account, two.bob.number);
    } finally {
      onlyBob.destroy();
    }
    assert.equal((await openEvents(httpPort, '?account=%2B15005550399')).status, 400);
  });

  it("a request without account, or naming one not served, gets signal-cli's errors", async () => {
    const c = await tcpRpc(daemon.port);
    const none = await c.call('listGroups');
    assert.equal(none.error?.code, -32602);
    assert.equal(none.error?.message, 'Method requires valid account parameter');
    const unknown = await c.call('listGroups', { account: '+15005550399' });
    assert.equal(unknown.error?.code, -32602);
    assert.equal(unknown.error?.message, 'Specified account does not exist');
    const noAccount = await c.call('register', {});
    assert.equal(noAccount.error?.message, 'Method requires account parameter');
    c.socket.destroy();
  });

  it('register and verify add an account that is served at once', async () => {
    const c = await tcpRpc(daemon.port);
    const carol = '+15005550303';
    const registered = await c.call('register', { account: carol, captcha: 'x' });
    assert.deepEqual(registered.result, {}, JSON.stringify(registered));
    const verified = await c.call('verify', { account: carol, verificationCode: MOCK_CODE });
    assert.deepEqual(verified.result, {}, JSON.stringify(verified));
    assert.deepEqual((await c.call('listAccounts')).result.map((a: { number: string }) => a.number), [two.alice.number, two.bob.number, carol]);
    const sent = await c.call('send', { account: carol, recipient: two.alice.aci, message: 'carol is new here' });
    assert.equal(sent.result?.results?.[0]?.type, 'SUCCESS', JSON.stringify(sent));
    const fromCarol = await notificationFor(c, two.alice.number, (e) => e.dataMessage?.message === 'carol is new here');
    assert.match(String(fromCarol.envelope.sourceUuid), /^[0-9a-f-]{36}$/);
    // The sandbox has no contact discovery: Alice answers Carol's ACI, as her message showed it.
    const toCarol = await c.call('send', { account: two.alice.number, recipient: fromCarol.envelope.sourceUuid, message: 'welcome carol' });
    assert.equal(toCarol.result?.results?.[0]?.type, 'SUCCESS', JSON.stringify(toCarol));
    await notificationFor(c, carol, (e) => e.dataMessage?.message === 'welcome carol');
    c.socket.destroy();
  });

  it('manual mode: subscribeReceive {account} pushes that account only, without account every account', async () => {
    assert.equal(await daemon.stop(), 0);
    daemon = await spawnDaemon({ spawn: (args) => two.spawnWithoutAccount(args) }, ['daemon', '--tcp=127.0.0.1:0', '--receive-mode', 'manual'], LISTENING);
    const bobOnly = await tcpRpc(daemon.port);
    const subscribed = await bobOnly.call('subscribeReceive', { account: two.bob.number });
    assert.equal(typeof subscribed.result, 'number', JSON.stringify(subscribed));
    assert.equal((await bobOnly.call('subscribeReceive', { account: '+15005550399' })).error?.code, -32602);
    const toBob = await bobOnly.call('send', { account: two.alice.number, recipient: two.bob.aci, message: 'manual: for bob' });
    assert.equal(toBob.result?.results?.[0]?.type, 'SUCCESS', JSON.stringify(toBob));
    const toAlice = await bobOnly.call('send', { account: two.bob.number, recipient: two.alice.aci, message: 'manual: for alice' });
    assert.equal(toAlice.result?.results?.[0]?.type, 'SUCCESS', JSON.stringify(toAlice));
    for (;;) {
      const params = await bobOnly.notification();
      assert.equal(params.subscription, subscribed.result);
      assert.equal(params.result.account, two.bob.number, `a subscription to Bob is pushed nothing of Alice: ${JSON.stringify(params)}`);
      if (params.result.envelope?.dataMessage?.message === 'manual: for bob') break;
    }
    // Alice's message waited for a subscriber of Alice's account (had Bob's client taken it, this
    // would time out): a client subscribed to every account gets it.
    const all = await tcpRpc(daemon.port);
    await all.call('subscribeReceive');
    for (;;) {
      const params = await all.notification();
      if (params.result.envelope?.dataMessage?.message === 'manual: for alice') {
        assert.equal(params.result.account, two.alice.number);
        break;
      }
    }
    bobOnly.socket.destroy();
    all.socket.destroy();
  });
});

describe('multi-account mode: startLink and finishLink', () => {
  let f: LinkedFixture;
  let dataDir: string;
  let daemon: Daemon;
  before(async () => {
    f = await linkedAccount();
    // An empty data directory on the fixture's network: the daemon starts with no account.
    dataDir = mkdtempSync(join(tmpdir(), 'sigsock-multi-link-'));
    const spawnIt = (args: string[]) => spawn(process.execPath, [BIN, ...globalArgs(dataDir, f.serverFile), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    daemon = await spawnDaemon({ spawn: spawnIt }, ['daemon', '--tcp=127.0.0.1:0'], LISTENING);
  });
  after(async () => {
    const code = await daemon?.stop();
    await f?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    assert.equal(code, 0);
  });

  it('startLink answers {deviceLinkUri}; finishLink waits for the phone and the new account is served', async () => {
    const c = await tcpRpc(daemon.port);
    assert.deepEqual((await c.call('listAccounts')).result, []);
    const started = await c.call('startLink');
    const uri = started.result?.deviceLinkUri;
    assert.match(String(uri), /^sgnl:\/\/linkdevice\?/, JSON.stringify(started));
    const unknown = await c.call('finishLink', { deviceLinkUri: 'sgnl://linkdevice?uuid=x&pub_key=y' });
    assert.equal(unknown.error?.code, -1);
    const dave = await f.network.createPhone('Dave', { contacts: [f.bob] });
    const finishing = c.call('finishLink', { deviceLinkUri: uri, deviceName: 'multi' }, 60_000);
    await within(f.network.completeLink(dave, uri), 30_000, 'the phone to complete the link');
    const finished = await finishing;
    assert.equal(finished.result?.number, dave.device.number, JSON.stringify(finished));
    assert.deepEqual((await c.call('listAccounts')).result, [{ number: dave.device.number }]);
    const sent = await c.call('send', { recipient: f.bob.device.number, message: 'from a linked account, no restart' });
    assert.equal(sent.result?.results?.[0]?.type, 'SUCCESS', JSON.stringify(sent));
    const got = await within(f.bob.waitForMessage(), 20_000, 'bob gets it');
    assert.equal(got.body, 'from a linked account, no restart');
    c.socket.destroy();
  });
});
