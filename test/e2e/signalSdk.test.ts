// Issue 17's "a real client that no one here wrote": the npm package signal-sdk (MIT), which spawns
// `signal-cli -a NUMBER jsonRpc` from the path it is given, runs against sigsock on the mock network
// through its own API. Its package lives in test/interop/signal-sdk/ with its own lockfile and is
// installed here with --ignore-scripts (its postinstall would download signal-cli); the path it gets
// is a two-line wrapper adding the data directory and the mock's server file.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { EventEmitter } from 'node:events';
import { BIN, linkedAccount, type LinkedFixture } from '../support/harness.js';
import { within } from '../support/contactActions.js';

const FIXTURE = join(dirname(dirname(BIN)), 'test/interop/signal-sdk');

/** signal-sdk's SignalCli, as much of it as this test calls. */
interface SignalCli extends EventEmitter {
  connect(): Promise<void>;
  gracefulShutdown(): Promise<void>;
  sendMessage(recipient: string, message: string): Promise<any>;
  sendReaction(recipient: string, targetAuthor: string, targetTimestamp: number, emoji: string, remove?: boolean): Promise<any>;
  createGroup(name: string, members: string[]): Promise<any>;
  listGroups(): Promise<any[]>;
  getVersion(): Promise<any>;
  listIdentities(number?: string): Promise<any[]>;
  remoteDeleteMessage(recipient: string, targetTimestamp: number): Promise<void>;
  sendReceipt(recipient: string, targetTimestamp: number, type?: 'read' | 'viewed'): Promise<void>;
  listDevices(): Promise<any[]>;
  listContacts(): Promise<any[]>;
}

function loadSignalSdk(): new (path: string, account: string) => SignalCli {
  if (!existsSync(join(FIXTURE, 'node_modules/signal-sdk/package.json'))) {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const installed = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: FIXTURE, encoding: 'utf8', timeout: 180_000 });
    assert.equal(installed.status, 0, `npm ci in ${FIXTURE}: ${installed.stderr}`);
  }
  return (createRequire(join(FIXTURE, 'package.json'))('signal-sdk') as { SignalCli: new (path: string, account: string) => SignalCli }).SignalCli;
}

/** What signal-sdk spawns instead of signal-cli: sigsock with the fixture's data directory and server. */
function wrapperScript(dir: string, f: LinkedFixture): string {
  const path = join(dir, 'signal-cli');
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(path, `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(BIN)} --config ${quote(f.dataDir)} --server-config ${quote(f.serverFile)} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('signal-sdk (npm) drives sigsock as it drives signal-cli', () => {
  let f: LinkedFixture;
  let dir: string;
  let sdk: SignalCli;
  const received: any[] = [];
  const arrivals: (() => void)[] = [];

  before(async () => {
    const SignalCliClass = loadSignalSdk();
    f = await linkedAccount();
    dir = mkdtempSync(join(tmpdir(), 'sigsock-signal-sdk-'));
    sdk = new SignalCliClass(wrapperScript(dir, f), f.number);
    sdk.on('message', (params) => {
      received.push(params);
      for (const wake of arrivals.splice(0)) wake();
    });
    sdk.on('error', () => {});
    await sdk.connect();
  });
  after(async () => {
    await sdk?.gracefulShutdown();
    await f?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const messageEvent = async (match: (params: any) => boolean, what: string): Promise<any> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = received.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: got ${JSON.stringify(received)}`);
      await within(new Promise<void>((r) => arrivals.push(r)), deadline - Date.now() + 1, what).catch(() => {});
    }
  };

  it('sendMessage reaches the contact with signal-cli\'s result', async () => {
    const bob = f.bob.device;
    const result = await sdk.sendMessage(bob.number!, 'hello from signal-sdk');
    assert.equal(typeof result.timestamp, 'number', JSON.stringify(result));
    assert.deepEqual(result.results, [{ recipientAddress: { uuid: bob.aci, number: bob.number }, type: 'SUCCESS' }]);
    const got = await within(f.bob.waitForMessage(), 20_000, 'bob gets it');
    assert.equal(got.body, 'hello from signal-sdk');
  });

  it("a contact's message arrives as its 'message' event, with the account", async () => {
    await f.introduce(f.bob);
    await f.bob.sendText(f.device, 'to a signal-sdk bot');
    const params = await messageEvent((p) => p.envelope?.dataMessage?.message === 'to a signal-sdk bot', "bob's message");
    assert.equal(params.account, f.number);
    assert.equal(params.envelope.sourceNumber, f.bob.device.number);
    assert.equal(params.envelope.sourceUuid, f.bob.device.aci);
  });

  it('sendReaction reacts to a message the contact sent', async () => {
    const bob = f.bob.device;
    const params = await messageEvent((p) => p.envelope?.dataMessage?.message === 'to a signal-sdk bot', "bob's message");
    const result = await sdk.sendReaction(bob.number!, bob.number!, params.envelope.timestamp, '👍');
    assert.equal(result.results[0].type, 'SUCCESS', JSON.stringify(result));
    const got = await within(f.bob.waitForMessage(), 20_000, 'bob gets the reaction');
    assert.equal(got.dataMessage.reaction?.emoji, '👍');
    assert.equal(Number(got.dataMessage.reaction?.targetSentTimestamp), params.envelope.timestamp);
  });

  it('createGroup, then listGroups lists it', async () => {
    const created = await sdk.createGroup('Interop', [f.bob.device.number!]);
    assert.equal(typeof created.groupId, 'string', JSON.stringify(created));
    const groups = await sdk.listGroups();
    const group = groups.find((g) => g.id === created.groupId);
    assert.ok(group, JSON.stringify(groups));
    assert.equal(group.name, 'Interop');
  });

  it('remoteDeleteMessage takes a message back; sendReceipt marks one read', async () => {
    const bob = f.bob.device;
    const sent = await sdk.sendMessage(bob.number!, 'to be taken back');
    // Bob's queue may still hold the group update of the test before: passed over.
    const bobGets = async (match: (m: any) => boolean, what: string) => {
      for (;;) {
        const m = await within(f.bob.waitForMessage(), 20_000, what);
        if (match(m)) return m;
      }
    };
    await bobGets((m) => m.body === 'to be taken back', 'bob gets it');
    await sdk.remoteDeleteMessage(bob.number!, sent.timestamp);
    const deletion = await bobGets((m) => m.dataMessage?.delete, 'bob gets the delete');
    assert.equal(Number(deletion.dataMessage.delete?.targetSentTimestamp), sent.timestamp);
    const params = await messageEvent((p) => p.envelope?.dataMessage?.message === 'to a signal-sdk bot', "bob's message");
    // signal-sdk resolves with nothing: the request was answered without an error.
    await sdk.sendReceipt(bob.number!, params.envelope.timestamp);
  });

  it('getVersion, listIdentities and listDevices answer', async () => {
    const devices = await sdk.listDevices();
    assert.ok(devices.length >= 2, JSON.stringify(devices));
    assert.equal(typeof (await sdk.getVersion()).version, 'string');
    const identities = await sdk.listIdentities(f.bob.device.number!);
    assert.equal(identities[0]?.uuid, f.bob.device.aci, JSON.stringify(identities));
  });

  it('listContacts lists the contact, by ACI and number', async () => {
    const contacts = await sdk.listContacts();
    const bob = contacts.find((c) => c.uuid === f.bob.device.aci);
    assert.ok(bob, JSON.stringify(contacts));
    assert.equal(bob.number, f.bob.device.number);
  });
});
