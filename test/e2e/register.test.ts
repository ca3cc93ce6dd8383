// Registering a number of its own, through the CLI, against the mock's verification-session and
// registration routes (captcha always required; the code is always 111111), then messaging a
// contact through the socket daemon.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceIdKind } from '@signalapp/mock-server';
import { bareNetwork, BIN, globalArgs, MOCK_CODE, registerWithCli, type BareNetwork } from '../support/harness.js';
import { startDaemon } from '../support/daemon.js';
import { client } from '../support/lineClient.js';
import { readProfileName, within } from '../support/contactActions.js';

describe('register and verify', () => {
  let bare: BareNetwork;
  let numberSeq = 0;
  const newNumber = () => `+1500555${String(1000 + numberSeq++).padStart(4, '0')}`;
  const cli = (number: string, ...args: string[]) => bare.cli(number, ...args);

  before(async () => (bare = await bareNetwork()));
  after(async () => bare?.close());

  it('asks for a captcha, then takes it with or without the signalcaptcha:// prefix', async () => {
    const number = newNumber();
    const first = await cli(number, 'register');
    assert.equal(first.code, 3, first.stderr);
    assert.match(first.stderr, /captcha.*signalcaptchas\.org.*--captcha/s);

    const withPrefix = await cli(number, 'register', '--captcha', 'signalcaptcha://signal-hcaptcha.test.registration.token');
    assert.equal(withPrefix.code, 0, withPrefix.stderr);
    assert.match(withPrefix.stdout, /code requested by SMS/);
    assert.match(withPrefix.stderr, new RegExp(`verify CODE`));

    const other = newNumber();
    assert.equal((await cli(other, 'register', '--voice', '--captcha', 'signal-hcaptcha.test.registration.token')).code, 0);
  });

  it('a wrong code, a verify with nothing in progress and a second registration get errors a person can act on', async () => {
    const number = newNumber();
    const never = await cli(number, 'verify', MOCK_CODE);
    assert.equal(never.code, 1);
    assert.match(never.stderr, /no registration of .* is in progress.*run register first/);

    assert.equal((await cli(number, 'register', '--captcha', 'token')).code, 0);
    const wrong = await cli(number, 'verify', '222222');
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /code is not right/);
    assert.equal(existsSync(join(bare.dataDir, `account-${number.slice(1)}.db`)), false, 'nothing stored after a wrong code');

    const ok = await cli(number, 'verify', '111-111');
    assert.equal(ok.code, 0, ok.stderr);

    const again = await cli(number, 'register');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already has an account.*move that file away/);
    const verifyAgain = await cli(number, 'verify', MOCK_CODE);
    assert.equal(verifyAgain.code, 1);
    assert.match(verifyAgain.stderr, /already has an account/);
  });

  it('a registration lock and a rate limit at account creation say what to do, and keep the session for a retry', async () => {
    const number = newNumber();
    assert.equal((await cli(number, 'register', '--captcha', 'token')).code, 0);
    try {
      // Signal-Server gives timeRemaining in milliseconds.
      bare.network.server.setRegisterResponseError({ code: 423, data: { timeRemaining: 3 * 86400 * 1000, svr2Credentials: { username: 'u', password: 'p' } } });
      const locked = await cli(number, 'verify', MOCK_CODE);
      assert.equal(locked.code, 1);
      assert.match(locked.stderr, /registration lock \(a Signal PIN\) for 3 days more.*turn the lock off/);

      bare.network.server.setRegisterResponseError({ code: 429, data: {} });
      const limited = await cli(number, 'verify', MOCK_CODE);
      assert.equal(limited.code, 1);
      assert.match(limited.stderr, /rate limit/);
      assert.equal(existsSync(join(bare.dataDir, `account-${number.slice(1)}.db`)), false, 'nothing stored');
    } finally {
      bare.network.server.setRegisterResponseError(undefined);
    }
    const pin = await cli(number, 'verify', MOCK_CODE, '--pin', '1234');
    assert.equal(pin.code, 2);
    assert.match(pin.stderr, /--pin is not supported.*SVR2/);
    const setPin = await cli(number, 'setPin', '1234');
    assert.equal(setPin.code, 2);
    assert.match(setPin.stderr, /setPin is not supported.*SVR2/);
    // The verified session survives: the same code completes the registration now.
    const ok = await cli(number, 'verify', MOCK_CODE);
    assert.equal(ok.code, 0, ok.stderr);
  });

  it('a registered number exchanges messages with a contact through the socket daemon, and sets its profile name', async () => {
    const number = newNumber();
    const aci = await registerWithCli(bare, number);

    const device = await bare.network.server.getDeviceByServiceId(aci as never);
    assert.ok(device, 'the mock knows the registered account');
    const bob = await bare.network.createContact('Bob');
    let profileKey: Uint8Array | null | undefined;
    // The account uploaded one-time keys when verify finished: a contact can start a session.
    await bare.network.introduce(bob, device, ServiceIdKind.ACI);

    const daemon = await startDaemon({ spawn: (args) => spawn(process.execPath, [BIN, ...globalArgs(bare.dataDir, bare.serverFile), '-a', number, ...args], { stdio: ['ignore', 'pipe', 'pipe'] }) });
    try {
      await bob.sendText(device, 'hello, new bot');
      const c = await client(daemon.port);
      const got = await c.request({ command: 'receive_messages', timeout: 10_000 });
      const messages = got.messages as { body: string; senderUuid: string }[];
      assert.deepEqual(messages.map((m) => [m.body, m.senderUuid]), [['hello, new bot', bob.device.aci]]);

      const bobGets = within(bob.waitForMessage(), 20_000, 'bob');
      const sent = await c.request({ command: 'send_message', recipient: bob.device.aci, dataMessage: { message: 'hi Bob' } });
      assert.equal(sent.statusCode, 0, JSON.stringify(sent));
      const bobGot = await bobGets;
      assert.equal(bobGot.body, 'hi Bob');
      profileKey = bobGot.dataMessage.profileKey;
      c.close();
    } finally {
      assert.equal(await daemon.stop(), 0);
    }

    // The profile, set with the daemon stopped; Bob can read it with the key the message carried.
    const profile = await cli(number, 'updateProfile', '--name', 'Registered Bot', '--family-name', 'Tests');
    assert.equal(profile.code, 0, profile.stderr);
    assert.ok(profileKey && device.profileName, 'a profile key in the message and a name on the server');
    assert.equal(readProfileName(profileKey, device.profileName), 'Registered Bot\0Tests');
  });
});
