// signal-cli's global options where programs spawn it: `--config`/`-c`/`--data-dir`/`-d`, `-a`,
// `-o json`/`--output=json` and a bare `--scrub-log`, before the command, through the real CLI.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, linkedAccount, runCli, type LinkedFixture } from '../support/harness.js';
import { stdioRpc } from './jsonRpcClient.js';
import { within } from '../support/contactActions.js';

describe("signal-cli's global options", () => {
  let f: LinkedFixture;
  before(async () => (f = await linkedAccount()));
  after(async () => f?.close());

  it('-o json listAccounts and --output=json listGroups print signal-cli\'s JSON; -d and -c name the data directory', async () => {
    const accounts = await runCli(['-d', f.dataDir, '-o', 'json', 'listAccounts']);
    assert.equal(accounts.code, 0, accounts.stderr);
    assert.deepEqual(JSON.parse(accounts.stdout), [{ number: f.number }]);
    const groups = await runCli(['-c', f.dataDir, '--server-config', f.serverFile, '-a', f.number, '--output=json', 'listGroups']);
    assert.equal(groups.code, 0, groups.stderr);
    assert.deepEqual(JSON.parse(groups.stdout), []);
    // As signal-cli: -a may be left out when the data directory holds exactly one account.
    const implicit = await runCli(['--config', f.dataDir, '--server-config', f.serverFile, '-o', 'json', 'listDevices']);
    assert.equal(implicit.code, 0, implicit.stderr);
    assert.ok((JSON.parse(implicit.stdout) as unknown[]).length >= 2, `the phone and this device: ${implicit.stdout}`);
    const none = await runCli(['--config', join(f.dataDir, 'empty'), 'listGroups']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /needs an account: .*exactly one account; it holds none/);
  });

  it("-a NUMBER -o json receive prints one {envelope, account} per line, as signal-cli's receive", async () => {
    await f.introduce(f.bob);
    // The mock's send resolves once the message was delivered: receive must be running.
    const receiving = f.run(['-o', 'json', 'receive', '--timeout', '15']);
    await within(f.bob.sendText(f.device, 'for -o json receive'), 20_000, 'the delivery to sigsock');
    const got = await receiving;
    assert.equal(got.code, 0, got.stderr);
    const lines = got.stdout.trim().split('\n').map((l) => JSON.parse(l) as { account: string; envelope: Record<string, any> });
    const message = lines.find((l) => l.envelope.dataMessage?.message === 'for -o json receive');
    assert.ok(message, got.stdout);
    assert.equal(message.account, f.number);
    assert.equal(message.envelope.sourceUuid, f.bob.device.aci);
    assert.equal(message.envelope.sourceNumber, f.bob.device.number);
  });

  it("-o json send, sendTyping, sendReceipt, sendReaction, remoteDelete and listContacts print signal-cli's JSON, the JSON-RPC results", async () => {
    await f.introduce(f.carol);
    const carol = { uuid: f.carol.device.aci, number: f.carol.device.number };
    const sent = await f.run(['-o', 'json', 'send', '-m', 'sent with -o json', carol.number!]);
    assert.equal(sent.code, 0, sent.stderr);
    const result = JSON.parse(sent.stdout) as { timestamp: number; results: unknown[] };
    assert.equal(typeof result.timestamp, 'number');
    assert.deepEqual(result.results, [{ recipientAddress: carol, type: 'SUCCESS' }]);
    assert.equal((await within(f.carol.waitForMessage(), 20_000, "Carol's copy")).body, 'sent with -o json');
    const sendResult = { results: [{ recipientAddress: carol, type: 'SUCCESS' }] };
    const reaction = ['sendReaction', '-e', '👍', '-a', f.number, '-t', String(result.timestamp)];
    for (const args of [['sendTyping'], ['sendReceipt', '-t', String(result.timestamp)], reaction, ['remoteDelete', '-t', String(result.timestamp)]]) {
      const out = await f.run(['-o', 'json', ...args, carol.number!]);
      assert.equal(out.code, 0, out.stderr);
      const printed = JSON.parse(out.stdout) as { timestamp: number };
      assert.equal(typeof printed.timestamp, 'number', args[0]);
      assert.deepEqual({ ...printed, timestamp: undefined }, { ...sendResult, timestamp: undefined }, args[0]);
    }
    // signal-cli's sendReaction command; its plain output is the timestamp, as send's.
    const removed = await f.run([...reaction, '-r', carol.number!]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.match(removed.stdout, /^\d+\n$/);
    const contacts = await f.run(['-o', 'json', 'listContacts', carol.number!]);
    assert.equal(contacts.code, 0, contacts.stderr);
    const listed = JSON.parse(contacts.stdout) as Record<string, unknown>[];
    assert.deepEqual(listed.map((c) => [c.number, c.uuid, c.isBlocked]), [[carol.number, carol.uuid, false]]);
  });

  it("-o json updateGroup and quitGroup print signal-cli's {timestamp, results[, groupId]}", async () => {
    await f.introduce(f.carol);
    const created = await f.run(['-o', 'json', 'updateGroup', '-n', 'json group', '-m', f.carol.device.number!]);
    assert.equal(created.code, 0, created.stderr);
    const group = JSON.parse(created.stdout) as { groupId: string; timestamp: number; results: { recipientAddress: { uuid: string }; groupId: string; type: string }[] };
    assert.match(group.groupId, /^[A-Za-z0-9+/]+=*$/);
    assert.equal(typeof group.timestamp, 'number');
    assert.deepEqual(group.results.map((r) => [r.recipientAddress.uuid, r.groupId, r.type]), [[f.carol.device.aci, group.groupId, 'SUCCESS']]);
    const left = await f.run(['-o', 'json', 'quitGroup', '-g', group.groupId]);
    assert.equal(left.code, 0, left.stderr);
    const quit = JSON.parse(left.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(quit).sort(), ['results', 'timestamp']);
  });

  it('a command without JSON output refuses -o json, as signal-cli does; a bad mode or two data directories are usage errors', async () => {
    const profile = await f.run(['-o', 'json', 'updateProfile', '--about', 'x']);
    assert.equal(profile.code, 2);
    assert.match(profile.stderr, /updateProfile does not support output type json/);
    const mode = await runCli(['-o', 'yaml', 'listAccounts']);
    assert.equal(mode.code, 2);
    assert.match(mode.stderr, /--output must be plain-text or json/);
    const two = await runCli(['--config', '/a', '--data-dir', '/b', 'listAccounts']);
    assert.equal(two.code, 2);
    assert.match(two.stderr, /--config and --data-dir name the same directory/);
    const env = await runCli(['--service-environment', 'live', '--server-config', f.serverFile, 'listAccounts']);
    assert.equal(env.code, 2);
    assert.match(env.stderr, /not both/);
  });

  it('`sigsock --config DIR --scrub-log -a NUMBER -o json jsonRpc` runs as signal-cli does', async () => {
    const child = spawn(process.execPath, [BIN, '--config', f.dataDir, '--server-config', f.serverFile, '--scrub-log', '-a', f.number, '-o', 'json', 'jsonRpc'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr.resume();
    const exited = new Promise<number | null>((r) => child.once('close', r));
    const rpc = stdioRpc(child);
    const version = await rpc.call('version');
    assert.equal(typeof version.result.version, 'string', JSON.stringify(version));
    const accounts = await rpc.call('listAccounts');
    assert.deepEqual(accounts.result, [{ number: f.number }]);
    child.stdin.end();
    assert.equal(await exited, 0);
  });
});
