// The engine's command declarations: one validation for every front-end, failures only of the
// kinds each declares; the CLI refuses what the socket refuses, before an account is opened; and
// the layering lint rule fails on an import against the layers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { CommandArguments, ENGINE_COMMANDS, InvalidCommandError, sendMessage, sendReaction, updateGroup } from '../../src/messenger/commands/index.js';
import { PreDecodedBase64 } from '../../src/messenger/commands/attachments.js';
import type { AnyCommandDeclaration } from '../../src/messenger/commands/declaration.js';
import { withTempDir } from '../support/tempDir.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LIMITS = { maxAttachmentBytes: 100 };
const GROUP_ID = Buffer.alloc(32, 7).toString('base64');

function refusal(declaration: AnyCommandDeclaration, values: Record<string, unknown>, labels?: Record<string, string>): InvalidCommandError {
  try {
    declaration.parse(new CommandArguments(values, labels), LIMITS);
  } catch (err) {
    assert.ok(err instanceof InvalidCommandError, `${declaration.name}: ${String(err)}`);
    assert.ok(declaration.errors.includes(err.kind), `${declaration.name} raised ${err.kind}, which it does not declare`);
    return err;
  }
  assert.fail(`${declaration.name} accepted ${JSON.stringify(values)}`);
}

test('every operation is declared once, and every bad argument fails with a kind the declaration names', () => {
  const names = ENGINE_COMMANDS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length);
  for (const expected of ['send', 'sendReaction', 'receive', 'listGroups', 'updateGroup', 'quitGroup', 'trust', 'listIdentities', 'listDevices', 'removeDevice', 'updateProfile', 'register', 'verify', 'link', 'unregister', 'listAccounts', 'listContacts', 'block', 'unblock', 'getUserStatus', 'updateContact', 'sendMessageRequestResponse', 'getProfile']) {
    assert.ok(names.includes(expected), `${expected} is not declared`);
  }
  const byName = Object.fromEntries(ENGINE_COMMANDS.map((c) => [c.name, c]));
  const bad: [string, Record<string, unknown>][] = [
    ['send', { recipient: 'bob', message: 'x' }],
    ['send', { message: 'x' }],
    ['send', { groupId: 'QUJD', message: 'x' }],
    ['send', { recipient: '+4915112345678' }],
    ['send', { recipient: '+4915112345678', attachments: [{ base64Data: 'QU*D' }] }],
    ['sendReaction', { recipient: '+4915112345678', emoji: '👍', author: '+4915112345678' }],
    ['receive', { timeout: -1 }],
    ['receive', { ignoreAttachments: 'yes' }],
    ['updateGroup', { name: 'x', removeMembers: ['+4915112345678'] }],
    ['updateGroup', { groupId: GROUP_ID, addMembers: ['12'] }],
    ['quitGroup', { groupId: 5 }],
    ['trust', { recipient: '' }],
    ['listIdentities', { recipient: 'carol' }],
    ['removeDevice', { deviceId: '0' }],
    ['updateProfile', {}],
    ['updateProfile', { avatar: new Uint8Array([1, 2, 3]) }],
    ['register', { number: '4915112345678' }],
    ['verify', { number: '+4915112345678', code: 'abc' }],
    ['link', { name: '' }],
    ['unregister', {}],
    ['listContacts', { recipients: ['bob'] }],
    ['listContacts', { blocked: 'yes' }],
    ['block', {}],
    ['unblock', { groupIds: ['QUJD'] }],
    ['getUserStatus', { recipients: ['a1b2c3d4-0000-4000-8000-00000000abcd'] }],
    ['getUserStatus', {}],
    ['updateContact', { recipient: '+4915112345678' }],
    ['updateContact', { recipient: '+4915112345678', name: 5 }],
    ['sendMessageRequestResponse', { recipients: ['+4915112345678'], type: 'later' }],
    ['getProfile', { recipient: 'bob' }],
  ];
  for (const [name, values] of bad) refusal(byName[name], values);
});

test('errors name each field as the front-end calls it', () => {
  const socket = refusal(sendReaction, { recipient: '+4915112345678', emoji: '👍', author: 'bob', timestamp: 5 }, { author: 'reaction.author' });
  assert.equal(socket.kind, 'INVALID_NUMBER');
  assert.match(socket.message, /^reaction.author is not a valid phone number/);
  const cli = refusal(updateGroup, { name: 'x', removeMembers: ['+4915112345678'] }, { removeMembers: '-r MEMBER', groupId: '-g GROUP_ID' });
  assert.equal(cli.message, '-r MEMBER needs -g GROUP_ID');
});

test('attachments: base64 text, or bytes a front-end decoded already, within the limit', () => {
  const parse = (attachments: unknown[]) => sendMessage.parse(new CommandArguments({ recipient: '+4915112345678', attachments }), LIMITS);
  const fromText = parse([{ base64Data: 'QUJD', filename: 'a.png' }]);
  assert.deepEqual(fromText.attachments, [{ data: Buffer.from('ABC'), filename: 'a.png', contentType: 'image/png' }]);
  const fromBytes = parse([{ base64Data: new PreDecodedBase64(new Uint8Array([1, 2])) }]);
  assert.deepEqual(fromBytes.attachments, [{ data: Buffer.from([1, 2]), contentType: 'application/octet-stream' }]);
  assert.throws(() => parse([{ base64Data: new PreDecodedBase64(null) }]), /attachment 0: base64Data is not valid base64/);
  assert.throws(() => parse([{ base64Data: new PreDecodedBase64(new Uint8Array(101)) }]), /101 bytes is larger than the limit of 100 bytes/);
});

function runCli(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bin/sigsock.js'), ...args], (err, _stdout, stderr) => {
      resolve({ code: err ? Number(err.code) : 0, stderr });
    });
  });
}

test('the CLI validates a recipient as the socket does, before opening the account (it used to pass any text on)', async () => {
  await withTempDir('sigsock-commands-', async (dir) => {
    const global = ['--config', dir, '-a', '+4915112345678'];
    const badNumber = await runCli([...global, 'send', '-m', 'hi', '+49 151 1234']);
    assert.equal(badNumber.code, 2, badNumber.stderr);
    assert.match(badNumber.stderr, /RECIPIENT is not a valid phone number: only digits may follow '\+'/);
    const badGroup = await runCli([...global, 'send', '-m', 'hi', '-g', 'QUJD']);
    assert.equal(badGroup.code, 2, badGroup.stderr);
    assert.match(badGroup.stderr, /malformed -g GROUP_ID: it must decode to 32 bytes, not 3/);
    const badMember = await runCli([...global, 'updateGroup', '-n', 'G', '-m', 'alice']);
    assert.equal(badMember.code, 2, badMember.stderr);
    assert.match(badMember.stderr, /-m MEMBER\[0\] is not a valid phone number/);
  });
});

test('the layering lint rule fails an import against the layers, static or dynamic', async () => {
  const eslint = new ESLint({ cwd: ROOT });
  const lint = async (filePath: string, code: string) => (await eslint.lintText(code, { filePath: join(ROOT, filePath) }))[0].messages.map((m) => m.ruleId);
  const wrong: [string, string][] = [
    ['src/cli/x.ts', "export { AccountStore } from '../store/accountStore.js';\n"],
    ['src/socket/x.ts', "import { createNet } from '../signal/net.js';\nexport const n = createNet;\n"],
    ['src/messenger/x.ts', "import type { SocketLimits } from '../socket/limits.js';\nexport type L = SocketLimits;\n"],
    ['src/messenger/commands/x.ts', "export const w = () => import('../../sandbox/sandboxWorld.js');\n"],
    ['src/store/x.ts', "import type { ServerConfig } from '../signal/serverConfig.js';\nexport type S = ServerConfig;\n"],
    ['src/signal/x.ts', "import { MessengerError } from '../messenger/errors.js';\nexport const e = MessengerError;\n"],
    ['src/socket/x.ts', "export const m = () => import('@signalapp/mock-server');\n"],
  ];
  for (const [file, code] of wrong) {
    const rules = await lint(file, code);
    assert.ok(rules.includes('no-restricted-imports') || rules.includes('no-restricted-syntax'), `${file}: ${code} passed the lint (${rules.join(', ')})`);
  }
  assert.deepEqual(await lint('src/cli/x.ts', "export { dataDirectory } from '../messenger/accountFiles.js';\n"), []);
  assert.deepEqual(await lint('src/messenger/x.ts', "export { createNet } from '../signal/net.js';\n"), []);
});
