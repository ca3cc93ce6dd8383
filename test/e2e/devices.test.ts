// The account's devices and leaving the server, through the real CLI and the socket: listDevices,
// removeDevice, unregister. The mock lacks these routes; the sandbox network adds them the way
// Signal-Server answers them (src/sandbox/accountRoutes.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bareNetwork, globalArgs, linkDataDir, linkedAccount, registerWithCli, runCli, type BareNetwork, type LinkedFixture } from '../support/harness.js';
import { startDaemon, waitForLog } from '../support/daemon.js';
import { client } from '../support/lineClient.js';

interface ListedDevice {
  id: number;
  name: string | null;
  primary: boolean;
  thisDevice: boolean;
}

const idsAndNames = (devices: ListedDevice[]) => devices.map((d) => [d.id, d.name]);

function parseJsonLines(stdout: string): ListedDevice[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ListedDevice);
}

describe('devices of a linked account', () => {
  let f: LinkedFixture;
  before(async () => (f = await linkedAccount()));
  after(async () => f?.close());

  it('listDevices shows the phone and the daemon, from the CLI and the socket; unregister waits for the daemon to stop', async () => {
    const plain = await f.run(['listDevices']);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(plain.stdout, /^- Device 1 \(primary\):\n {2}Name: \(none\)\n/);
    assert.match(plain.stdout, /- Device 2 \(linked, this device\):\n {2}Name: e2e\n {2}Created: \d{4}-/);

    const json = await f.run(['listDevices', '--json']);
    assert.deepEqual(
      parseJsonLines(json.stdout).map((d) => [d.id, d.name, d.primary, d.thisDevice]),
      [
        [1, null, true, false],
        [2, 'e2e', false, true],
      ],
    );

    const daemon = await startDaemon(f);
    try {
      const c = await client(daemon.port);
      const answer = await c.request({ command: 'list_devices', reqId: 'd' });
      assert.equal(answer.statusCode, 0, JSON.stringify(answer));
      assert.deepEqual(idsAndNames(answer.devices as ListedDevice[]), [
        [1, null],
        [2, 'e2e'],
      ]);
      c.close();
      // A running daemon holds the account: unregister refuses and nothing leaves the server.
      const refused = await f.run(['unregister', '--confirm']);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /in use by another sigsock process/);
      assert.equal((await f.network.server.getAllDevicesByServiceId(f.phone.device.aci)).length, 2);
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });

  it('a linked device may not remove others or the phone; it unlinks itself with unregister --confirm', async () => {
    const secondDir = mkdtempSync(join(tmpdir(), 'sigsock-second-'));
    try {
      const { device: second } = await linkDataDir(f.network, f.phone, secondDir, f.serverFile, 'second');
      const cliOfSecond = (...args: string[]) => runCli([...globalArgs(secondDir, f.serverFile), '-a', f.number, ...args]);
      const listed = parseJsonLines((await f.run(['listDevices', '--json'])).stdout);
      assert.deepEqual(idsAndNames(listed), [
        [1, null],
        [2, 'e2e'],
        [second.deviceId, 'second'],
      ]);

      const other = await f.run(['removeDevice', '-d', String(second.deviceId)]);
      assert.equal(other.code, 1);
      assert.match(other.stderr, /only the primary device can remove other devices/);
      const phone = await f.run(['removeDevice', '-d', '1']);
      assert.equal(phone.code, 1);
      assert.match(phone.stderr, /device 1 is the primary device/);
      const notANumber = await f.run(['removeDevice', '-d', 'two']);
      assert.equal(notANumber.code, 2);
      assert.match(notANumber.stderr, /not a device id/);

      // Without --confirm nothing happens.
      const unconfirmed = await cliOfSecond('unregister');
      assert.equal(unconfirmed.code, 2);
      assert.match(unconfirmed.stderr, /--confirm/);
      assert.equal((await cliOfSecond('listAccounts')).stdout.trim(), f.number);
      assert.equal((await f.network.server.getAllDevicesByServiceId(f.phone.device.aci)).length, 3);

      const unlinked = await cliOfSecond('unregister', '--confirm');
      assert.equal(unlinked.code, 0, unlinked.stderr);
      assert.match(unlinked.stdout, /device unlinked; local data removed/);
      assert.equal((await cliOfSecond('listAccounts')).stdout.trim(), '');
      const remaining = await f.network.server.getAllDevicesByServiceId(f.phone.device.aci);
      assert.deepEqual(
        remaining.map((d) => d.deviceId),
        [1, 2],
      );
      assert.deepEqual(idsAndNames(parseJsonLines((await f.run(['listDevices', '--json'])).stdout)), [
        [1, null],
        [2, 'e2e'],
      ]);
    } finally {
      rmSync(secondDir, { recursive: true, force: true });
    }
  });
});

describe('a daemon whose device the phone removes', () => {
  let f: LinkedFixture;
  before(async () => (f = await linkedAccount()));
  after(async () => f?.close());

  it('keeps serving what it received, and answers sends with what happened and what to do', async () => {
    await f.introduce(f.bob);
    const daemon = await startDaemon(f);
    try {
      // A client reads a message and goes away without acknowledging it.
      const reader = await client(daemon.port);
      await f.bob.sendText(f.device, 'before the unlink');
      const first = await reader.request({ command: 'receive_messages', timeout: 10_000, ack: true });
      assert.deepEqual((first.messages as { body: string }[]).map((m) => m.body), ['before the unlink']);
      reader.close();

      // The phone unlinks the daemon (Settings → Linked devices), as the server sees it.
      await f.network.server.removeDeviceByServiceId(f.phone.device.aci, f.device.deviceId);
      f.network.disconnect(f.device, 4401);
      await waitForLog(daemon, /chat: giving up/);

      const c = await client(daemon.port);
      const sent = await c.request({ command: 'send_message', recipient: f.bob.device.aci, dataMessage: { message: 'anyone?' } }, 30_000);
      assert.equal(sent.statusCode, -1, JSON.stringify(sent));
      assert.match(String(sent.errorMessage), /this device is no longer part of the account \(unlinked from the phone.*link again with `sigsock link`/);
      // What it received before is still there for the next client.
      const again = await c.request({ command: 'receive_messages', timeout: 0 });
      assert.deepEqual((again.messages as { body: string }[]).map((m) => m.body), ['before the unlink']);
      c.close();
      assert.match(daemon.stderr(), /chat: giving up \(.*\): this device is no longer part of the account/);
    } finally {
      assert.equal(await daemon.stop(), 0);
    }
  });
});

describe('devices of a registered number', () => {
  let bare: BareNetwork;
  const number = '+15005552001';
  const cli = (...args: string[]) => bare.cli(number, ...args);

  before(async () => (bare = await bareNetwork()));
  after(async () => bare?.close());

  it('the primary removes a linked device, then deletes the account with unregister --confirm', async () => {
    const aci = (await registerWithCli(bare, number)) as never;
    const network = bare.network;
    const primary = await network.server.getDeviceByServiceId(aci);
    assert.ok(primary);
    // Another client linked to the number; only the mock knows it (sigsock cannot provision one).
    const linked = await network.server.registerDevice({ primary, registrationId: 4321 as never, pniRegistrationId: 8765 as never, password: 'linked-password' });

    const listed = parseJsonLines((await cli('listDevices', '--json')).stdout);
    assert.deepEqual(
      listed.map((d) => [d.id, d.primary, d.thisDevice]),
      [
        [1, true, true],
        [linked.deviceId, false, false],
      ],
    );

    const removed = await cli('removeDevice', '-d', String(linked.deviceId));
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout, `removed device ${linked.deviceId}\n`);
    assert.equal(await network.server.getDeviceByServiceId(aci, linked.deviceId), undefined);
    const again = await cli('removeDevice', '-d', String(linked.deviceId));
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`the account has no device ${linked.deviceId} \\(it has 1\\)`));

    const deleted = await cli('unregister', '--confirm');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, `${number}: account deleted; local data removed\n`);
    assert.equal(network.server.isUnregistered(aci), true, 'the number is unregistered for everyone');
    assert.equal(await network.server.getDeviceByServiceId(aci), undefined);
    assert.equal((await cli('listAccounts')).stdout, '');
    const gone = await cli('listDevices');
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /no account/);
  });
});
