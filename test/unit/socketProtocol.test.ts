import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { InboxEntry, Messenger, ReceivedMessage } from '../../src/messenger/api.js';
import { MessengerError } from '../../src/messenger/errors.js';
import { Connection } from '../../src/socket/connection.js';
import { resolveLimits } from '../../src/socket/limits.js';
import { startSocketServer } from '../../src/socket/server.js';
import { StatusCode } from '../../src/socket/statusCodes.js';
import { bytesOf, contentOf, deferred, FakeEngine, fakeLease, PLAIN_MESSAGE, textEntry } from '../support/fakeEngine.js';
import { LineClient as Client } from '../support/lineClient.js';
import { withTempDir } from '../support/tempDir.js';
import { withServer } from '../support/withServer.js';

const PHONE = '+4915112345678';
const UUID_UPPER = 'A1B2C3D4-0000-4000-8000-00000000ABCD';
const GROUP_ID = Buffer.alloc(32, 7).toString('base64');

// ---------------------------------------------------------------- tests over TCP

test('logs one line with the listening address', async () => {
  await withServer({}, async ({ server, logs }) => {
    assert.deepEqual(logs, [`listening on tcp://127.0.0.1:${server.port}`]);
    assert.equal(server.address, `tcp://127.0.0.1:${server.port}`);
  });
});

test('every bad-input status code, on one connection that survives them all', async () => {
  await withServer({ limits: { maxAttachmentBytes: 200 } }, async ({ client, messenger }) => {
    const c = await client();
    const expectCode = async (body: string, code: number, message?: RegExp) => {
      const answer = await c.request(body);
      assert.equal(answer.statusCode, code, `${body} → ${JSON.stringify(answer)}`);
      if (code !== 0) assert.equal(typeof answer.errorMessage, 'string');
      if (message) assert.match(answer.errorMessage as string, message, body);
      return answer;
    };
    const send = (fields: string) => `{"command": "send_message", ${fields}}`;

    const syntax = await expectCode('{"command": "send_message", oops}', StatusCode.INVALID_JSON, /invalid JSON/);
    assert.equal(syntax.command, null);
    await expectCode("{command:'list_groups'}", StatusCode.SUCCESS);
    await expectCode('42', StatusCode.INVALID_JSON, /expected a JSON object or array/);

    const unknown = await expectCode('{"command": "fly"}', StatusCode.UNKNOWN_COMMAND, /unknown command 'fly'.*send_message, send_reaction, receive_messages, list_groups/);
    assert.equal(unknown.command, 'fly');
    const missing = await expectCode('{"reqId": 1}', StatusCode.UNKNOWN_COMMAND, /missing command/);
    assert.equal(missing.command, null);
    await expectCode('{"command": 5}', StatusCode.UNKNOWN_COMMAND);

    await expectCode(send(`"recipient": "${PHONE}", "groupId": "${GROUP_ID}", "dataMessage": {"message": "x"}`), StatusCode.INVALID_RECIPIENT, /both/);
    await expectCode(send('"dataMessage": {"message": "x"}'), StatusCode.INVALID_RECIPIENT, /none/);
    await expectCode(send('"recipient": "015112345678", "dataMessage": {"message": "x"}'), StatusCode.INVALID_NUMBER, /start with '\+'/);
    await expectCode(send('"recipient": "+49 151 1234", "dataMessage": {"message": "x"}'), StatusCode.INVALID_NUMBER, /only digits/);
    await expectCode(send('"recipient": "+0123456789", "dataMessage": {"message": "x"}'), StatusCode.INVALID_NUMBER);
    await expectCode(send('"recipient": "+123", "dataMessage": {"message": "x"}'), StatusCode.INVALID_NUMBER, /too few/);
    await expectCode(send('"recipient": 4915112345678, "dataMessage": {"message": "x"}'), StatusCode.INVALID_NUMBER);
    await expectCode(send('"groupId": "not base64!", "dataMessage": {"message": "x"}'), StatusCode.GROUP_NOT_FOUND, /malformed groupId/);
    await expectCode(send('"groupId": "QUJD", "dataMessage": {"message": "x"}'), StatusCode.GROUP_NOT_FOUND, /32 bytes/);

    await expectCode(send(`"recipient": "${PHONE}"`), StatusCode.MISSING_MESSAGE_CONTENT);
    await expectCode(send(`"recipient": "${PHONE}", "dataMessage": {}`), StatusCode.MISSING_MESSAGE_CONTENT);
    await expectCode(send(`"recipient": "${PHONE}", "dataMessage": {"message": "", "attachments": []}`), StatusCode.MISSING_MESSAGE_CONTENT);

    const attach = (list: string) => send(`"recipient": "${PHONE}", "dataMessage": {"attachments": ${list}}`);
    await expectCode(attach('[{"base64Data": "QUJD"}, {"base64Data": "QU*D"}]'), StatusCode.INVALID_ATTACHMENT, /attachment 1: .*not valid base64/);
    await expectCode(attach('[{"base64Data": ""}]'), StatusCode.INVALID_ATTACHMENT, /attachment 0/);
    await expectCode(attach('[{"filename": "a.txt"}]'), StatusCode.INVALID_ATTACHMENT, /attachment 0/);
    await expectCode(attach('[{"base64Data": "QUJDR"}]'), StatusCode.INVALID_ATTACHMENT);
    await expectCode(attach('[{"base64Data": "QU=D"}]'), StatusCode.INVALID_ATTACHMENT);
    await expectCode(attach('["QUJD"]'), StatusCode.INVALID_ATTACHMENT);
    await expectCode(attach('{"base64Data": "QUJD"}'), StatusCode.INVALID_ATTACHMENT);
    await expectCode(attach(`[{"base64Data": "${'QUJD'.repeat(100)}"}]`), StatusCode.INVALID_ATTACHMENT, /larger than the limit of 200 bytes/);

    const react = (reaction: string) => `{"command": "send_reaction", "recipient": "${PHONE}", "reaction": ${reaction}}`;
    await expectCode(`{"command": "send_reaction", "recipient": "${PHONE}"}`, StatusCode.MISSING_REACTION, /reaction is missing/);
    await expectCode(react(`{"author": "${PHONE}", "timestamp": 5}`), StatusCode.MISSING_REACTION, /emoji/);
    await expectCode(react('{"emoji": "👍", "timestamp": 5}'), StatusCode.MISSING_REACTION, /author/);
    await expectCode(react(`{"emoji": "👍", "author": "${PHONE}"}`), StatusCode.MISSING_REACTION, /timestamp/);
    await expectCode(react(`{"emoji": "👍", "author": "${PHONE}", "timestamp": -1}`), StatusCode.MISSING_REACTION, /timestamp/);
    await expectCode(react(`{"emoji": "👍", "author": "${PHONE}", "timestamp": 5, "remove": "yes"}`), StatusCode.MISSING_REACTION, /remove/);
    await expectCode(react('{"emoji": "👍", "author": "bob", "timestamp": 5}'), StatusCode.INVALID_NUMBER, /reaction.author/);

    await expectCode('{"command": "receive_messages", "timeout": -5}', StatusCode.UNKNOWN, /timeout must be a non-negative number of milliseconds/);
    await expectCode('{"command": "receive_messages", "timeout": "soon"}', StatusCode.UNKNOWN, /timeout/);

    await expectCode('[1]', StatusCode.INVALID_JSON, /expected an object/);
    await expectCode('[]', StatusCode.INVALID_JSON, /empty batch/);

    // None of the refused commands reached the messenger.
    assert.equal(messenger.sent.length, 0);
    assert.equal(messenger.reactions.length, 0);
  });
});

test('messenger failures map to their status codes; other exceptions become -1', async () => {
  await withServer({}, async ({ client, messenger }) => {
    const c = await client();
    const body = `{"command": "send_message", "recipient": "${PHONE}", "dataMessage": {"message": "hi"}}`;
    const cases: [unknown, number, string][] = [
      [new MessengerError('INVALID_NUMBER', 'not on Signal'), StatusCode.INVALID_NUMBER, 'not on Signal'],
      [new MessengerError('GROUP_NOT_FOUND', 'no such group'), StatusCode.GROUP_NOT_FOUND, 'no such group'],
      [new MessengerError('NOT_A_GROUP_MEMBER', 'left'), StatusCode.NOT_A_GROUP_MEMBER, 'left'],
      [new MessengerError('UNTRUSTED_IDENTITY', 'safety number changed'), StatusCode.UNKNOWN, 'safety number changed'],
      [new MessengerError('NETWORK', 'offline'), StatusCode.UNKNOWN, 'offline'],
      [new TypeError('boom'), StatusCode.UNKNOWN, 'boom'],
      ['a string', StatusCode.UNKNOWN, 'a string'],
    ];
    for (const [error, code, message] of cases) {
      messenger.onSend = () => Promise.reject(error);
      const answer = await c.request(body);
      assert.deepEqual(answer, { command: 'send_message', statusCode: code, errorMessage: message });
    }
  });
});

test('reqId is echoed verbatim, and omitted when the request had none', async () => {
  await withServer({}, async ({ client }) => {
    const c = await client();
    for (const reqId of [7, 'abc', 0, null, { a: [1] }, 1.5]) {
      const answer = await c.request(JSON.stringify({ command: 'list_groups', reqId }));
      assert.deepEqual(answer, { command: 'list_groups', reqId, statusCode: 0, groups: [] });
    }
    assert.equal('reqId' in (await c.request('{"command": "list_groups"}')), false);
    // Echoed on errors too, before the command was even recognised.
    assert.deepEqual(await c.request('{"command": "nope", reqId: 12}'), {
      command: 'nope',
      reqId: 12,
      statusCode: StatusCode.UNKNOWN_COMMAND,
      errorMessage: "unknown command 'nope'; known commands: send_message, send_reaction, receive_messages, list_groups, trust, ack, update_group, quit_group, list_devices, remote_delete, send_typing, send_receipt, list_contacts, block, unblock, get_user_status, update_contact, send_message_request_response, get_profile, set_expiration",
    });
  });
});

test('send_message passes normalised fields to the messenger and answers with the timestamp', async () => {
  await withServer({}, async ({ client, messenger }) => {
    const c = await client();
    const urlSafe = Buffer.from([0xfb, 0xff, 0xfe, 1]).toString('base64url');
    const answer = await c.request(
      JSON.stringify({
        command: 'send_message',
        reqId: 'r1',
        recipient: UUID_UPPER,
        extra: 'ignored',
        dataMessage: {
          message: 'hello',
          attachments: [
            { base64Data: 'aGVs\nbG8=', filename: 'note.TXT' },
            { base64Data: urlSafe, filename: 'x.bin' },
            { base64Data: 'aGk', contentType: 'image/png' },
          ],
        },
      }),
    );
    assert.deepEqual(answer, { command: 'send_message', reqId: 'r1', statusCode: 0, timestamp: 1700000000001, results: [] });
    const [sent] = messenger.sent;
    assert.deepEqual(sent.target, { recipient: UUID_UPPER.toLowerCase() });
    assert.equal(sent.text, 'hello');
    assert.deepEqual(
      sent.attachments.map((a) => [bytesOf(a).toString('latin1'), a.filename, a.contentType]),
      [
        ['hello', 'note.TXT', 'text/plain'],
        [Buffer.from([0xfb, 0xff, 0xfe, 1]).toString('latin1'), 'x.bin', 'application/octet-stream'],
        ['hi', undefined, 'image/png'],
      ],
    );

    const group = Buffer.alloc(32, 0xfb);
    await c.request(JSON.stringify({ command: 'send_message', groupId: group.toString('base64url'), dataMessage: { message: 'g' } }));
    assert.deepEqual(messenger.sent[1].target, { groupId: group.toString('base64') });
  });
});

test('send_reaction passes the reaction on, remove defaulting to false', async () => {
  await withServer({}, async ({ client, messenger }) => {
    const c = await client();
    const answer = await c.request(`{command: 'send_reaction', groupId: '${GROUP_ID}', reaction: {emoji: '👍', author: '${PHONE}', timestamp: 1234567}}`);
    assert.deepEqual(answer, { command: 'send_reaction', statusCode: 0, timestamp: 1700000000999, results: [] });
    assert.deepEqual(messenger.reactions, [{ target: { groupId: GROUP_ID }, reaction: { emoji: '👍', author: PHONE, timestamp: 1234567, remove: false } }]);
  });
});

test('answers come in arrival order even when a later command finishes first', async () => {
  await withServer({}, async ({ client, messenger }) => {
    const c = await client();
    const slowStarted = deferred();
    const slowGate = deferred();
    const fastDone = deferred();
    messenger.onSend = async () => {
      slowStarted.resolve();
      await slowGate.promise;
    };
    messenger.onListGroups = async () => {
      fastDone.resolve();
      return [];
    };
    c.send(`{"command": "send_message", "reqId": 1, "recipient": "${PHONE}", "dataMessage": {"message": "slow"}}{"command": "list_groups", "reqId": 2}\n`);
    // Both run at once: the fast one finished while the slow one is still going.
    await Promise.all([slowStarted.promise, fastDone.promise]);
    slowGate.resolve();
    assert.equal((await c.next()).reqId, 1);
    assert.equal((await c.next()).reqId, 2);
  });
});

test('a slow receive_messages on one connection does not hold up another connection', async () => {
  await withServer({}, async ({ client }) => {
    const a = await client();
    const b = await client();
    a.send('{"command": "receive_messages", "timeout": 60000}\n');
    assert.equal((await b.request('{"command": "list_groups"}')).statusCode, 0);
  });
});

test('a batch array is answered element by element, in order', async () => {
  await withServer({}, async ({ client }) => {
    const c = await client();
    c.send(`[{"command": "list_groups", "reqId": 1}, "junk", {"command": "fly", "reqId": 3}, {command: 'list_groups', reqId: 4},]\n`);
    const answers = [await c.next(), await c.next(), await c.next(), await c.next()];
    assert.deepEqual(
      answers.map((a) => [a.reqId, a.statusCode]),
      [
        [1, 0],
        [undefined, StatusCode.INVALID_JSON],
        [3, StatusCode.UNKNOWN_COMMAND],
        [4, 0],
      ],
    );
  });
});

test('an attachment that stops reading midway (its file changed on disk) ends the connection and gives the entries back', async () => {
  await withServer({}, async ({ client, messenger }) => {
    const breaking = {
      size: 3 * 65536,
      *chunks() {
        yield randomBytes(65536);
        throw new Error('the attachment file does not decrypt');
      },
    };
    const entry = { ...(textEntry(1, 'x') as ReceivedMessage), attachments: [{ content: breaking, filename: null, contentType: null, size: breaking.size, error: null }] };
    const lease = fakeLease([entry]);
    messenger.onTake = async () => lease;
    const c = await client();
    await assert.rejects(c.request('{"command": "receive_messages"}'));
    assert.equal(await lease.settled, 'released');
  });
});

test('a large attachment is written in slices: a client that reads it whole commits, one that hangs up midway releases', async () => {
  await withServer({}, async ({ server, client, messenger }) => {
    const bytes = randomBytes(4 * 1024 * 1024);
    const entry = (): InboxEntry => ({
      kind: 'message',
    ...PLAIN_MESSAGE,
      timestamp: 1,
      sender: { aci: UUID_UPPER.toLowerCase(), e164: PHONE },
      groupId: null,
      body: 'big',
      attachments: [{ content: contentOf(bytes), filename: 'big.bin', contentType: 'application/octet-stream', size: bytes.length, error: null }],
      reaction: null,
    });
    const whole = fakeLease([entry()]);
    messenger.onTake = async () => whole;
    const reader = await client();
    const answer = await reader.request('{"command": "receive_messages"}');
    const got = (answer.messages as { attachments: { base64Data: string }[] }[])[0].attachments[0].base64Data;
    assert.equal(got, bytes.toString('base64'));
    assert.equal(await whole.settled, 'committed');

    // A raw client that asks, reads a few bytes of the answer and disconnects.
    const cut = fakeLease([entry()]);
    messenger.onTake = async () => cut;
    const socket = connect(server.port!, '127.0.0.1');
    socket.write('{"command": "receive_messages"}\n');
    socket.pause();
    await new Promise<void>((resolve) => socket.once('readable', () => resolve()));
    socket.destroy();
    assert.equal(await cut.settled, 'released', 'unread entries come again');
  });
});

test('receive_messages hands out the lease entries and commits the lease after the answer is written', async () => {
  await withServer({}, async ({ client, messenger }) => {
    const entry: InboxEntry = {
      kind: 'message',
    ...PLAIN_MESSAGE,
      timestamp: 1,
      sender: { aci: UUID_UPPER.toLowerCase(), e164: PHONE },
      groupId: null,
      body: 'hi',
      attachments: [{ content: contentOf(Buffer.from('QUJD', 'base64')), filename: 'a.txt', contentType: 'text/plain', size: 3, error: null }],
      reaction: null,
    };
    const lease = fakeLease([entry, { kind: 'failure', failure: 'unparseable', senderServiceId: null, reason: 'bad content' }]);
    messenger.onTake = async () => lease;
    const c = await client();
    const answer = await c.request('{"command": "receive_messages", "reqId": 9, "ignoreAttachments": true}');
    assert.deepEqual(answer, {
      command: 'receive_messages',
      reqId: 9,
      statusCode: 0,
      messages: [
        { timestamp: 1, sender: PHONE, senderUuid: UUID_UPPER.toLowerCase(), body: 'hi', attachments: [{ filename: 'a.txt', contentType: 'text/plain', size: 3 }] },
        { statusCode: 10, errorMessage: 'bad content' },
      ],
    });
    assert.equal(await lease.settled, 'committed');
    // The lease's own entries were not touched by ignoreAttachments.
    assert.equal(Buffer.concat([...(lease.entries[0] as ReceivedMessage).attachments[0].content!.chunks()]).toString('base64'), 'QUJD');
    assert.equal(messenger.takeCalls[0].timeoutMs, 1000);
  });
});

test('receive_messages caps the timeout at the configured maximum', async () => {
  await withServer({ limits: { maxReceiveTimeoutMs: 5000 } }, async ({ client, messenger }) => {
    messenger.onTake = async () => fakeLease([]);
    const c = await client();
    assert.deepEqual(await c.request('{command: "receive_messages", timeout: 99999999}'), { command: 'receive_messages', statusCode: 0, messages: [] });
    assert.equal(messenger.takeCalls[0].timeoutMs, 5000);
  });
});

test('a client that drops the connection while receive_messages waits: the wait is aborted and a late lease is released', async () => {
  await withServer({}, async ({ client, messenger }) => {
    const waiting = deferred();
    const lease = fakeLease([textEntry(1, 'late')]);
    messenger.onTake = async (_timeout, signal) => {
      waiting.resolve();
      await new Promise((resolve) => signal!.addEventListener('abort', resolve));
      // A messenger that hands out entries anyway must get them back.
      return lease;
    };
    const c = await client();
    c.send('{"command": "receive_messages", "timeout": 60000}\n');
    await waiting.promise;
    // A reset, as when the client process dies with unread data (a FIN ends the wait too:
    // test/e2e/departedClients.test.ts).
    c.socket.resetAndDestroy();
    assert.equal(await lease.settled, 'released');
    assert.equal(messenger.takeCalls[0].signal!.aborted, true);
  });
});

test('update_group and quit_group (extensions): fields validated and passed on; bad input gets its status code', async () => {
  await withServer({}, async ({ client, messenger }) => {
    const c = await client();
    const created = await c.request(`{command: 'update_group', name: 'Crew', addMembers: ['${PHONE}', '${UUID_UPPER}']}`);
    assert.equal(created.statusCode, 0, JSON.stringify(created));
    assert.equal(created.created, true);
    assert.deepEqual(messenger.groupUpdates[0], { groupId: undefined, title: 'Crew', addMembers: [PHONE, UUID_UPPER.toLowerCase()], removeMembers: [] });
    assert.equal((await c.request(`{command: 'update_group', groupId: 'nope', name: 'x'}`)).statusCode, StatusCode.GROUP_NOT_FOUND);
    assert.equal((await c.request(`{command: 'update_group', name: 'x', addMembers: ['123']}`)).statusCode, StatusCode.INVALID_NUMBER);
    assert.equal((await c.request(`{command: 'update_group', addMembers: ['${PHONE}']}`)).statusCode, StatusCode.UNKNOWN);
    assert.equal((await c.request(`{command: 'update_group', groupId: '${GROUP_ID}'}`)).statusCode, StatusCode.UNKNOWN);
    const quit = await c.request(`{command: 'quit_group', groupId: '${GROUP_ID}'}`);
    assert.equal(quit.statusCode, 0);
    assert.equal(quit.revision, 3);
  });
});

test('receive_messages with ack: true keeps the lease until the client acknowledges it, once', async () => {
  await withServer({}, async ({ client, messenger }) => {
    const lease = fakeLease([textEntry(1, 'x')]);
    let settledHow: string | undefined;
    void lease.settled.then((how) => (settledHow = how));
    messenger.onTake = async () => lease;
    const c = await client();
    const answer = await c.request('{command: "receive_messages", ack: true}');
    assert.equal(typeof answer.ackId, 'string');
    assert.equal((answer.messages as unknown[]).length, 1);
    assert.equal(settledHow, undefined, 'written is not processed: the lease waits for the ack');
    assert.deepEqual(await c.request(JSON.stringify({ command: 'ack', ackId: answer.ackId })), { command: 'ack', statusCode: 0 });
    assert.equal(await lease.settled, 'committed');
    const again = await c.request(JSON.stringify({ command: 'ack', ackId: answer.ackId }));
    assert.equal(again.statusCode, StatusCode.UNKNOWN);
    assert.match(String(again.errorMessage), /unknown ackId/);
  });
});

test('with ack: true, a lease is released when the connection closes unacknowledged, even one handed out after the close', async () => {
  await withServer({}, async ({ client, messenger }) => {
    const early = fakeLease([textEntry(1, 'read, never acked')]);
    messenger.onTake = async () => early;
    const c = await client();
    await c.request('{command: "receive_messages", ack: true}');
    c.socket.resetAndDestroy();
    assert.equal(await early.settled, 'released');

    const waiting = deferred();
    const late = fakeLease([textEntry(2, 'late')]);
    messenger.onTake = async (_timeout, signal) => {
      waiting.resolve();
      await new Promise((resolve) => signal!.addEventListener('abort', resolve));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return late;
    };
    const d = await client();
    d.send('{command: "receive_messages", ack: true, timeout: 60000}\n');
    await waiting.promise;
    d.socket.resetAndDestroy();
    assert.equal(await late.settled, 'released');
  });
});

test('close(): in-flight commands are answered, a waiting receive_messages gets an empty list, then connections end', async () => {
  const messenger = new FakeEngine();
  const server = await startSocketServer({ messenger, port: 0, log: () => {} });
  const c = await Client.open(server.port!);
  const sendStarted = deferred();
  const sendGate = deferred();
  messenger.onSend = async () => {
    sendStarted.resolve();
    await sendGate.promise;
  };
  const receiveStarted = deferred();
  const defaultTake = messenger.onTake;
  messenger.onTake = (timeout, signal) => {
    receiveStarted.resolve();
    return defaultTake(timeout, signal);
  };
  c.send(`{"command": "receive_messages", "reqId": 1, "timeout": 3600000}\n{"command": "send_message", "reqId": 2, "recipient": "${PHONE}", "dataMessage": {"message": "x"}}\n`);
  await Promise.all([sendStarted.promise, receiveStarted.promise]);

  const closed = server.close();
  sendGate.resolve();
  assert.deepEqual(await c.next(), { command: 'receive_messages', reqId: 1, statusCode: 0, messages: [] });
  assert.deepEqual(await c.next(), { command: 'send_message', reqId: 2, statusCode: 0, timestamp: 1700000000001, results: [] });
  assert.equal(await c.nextLine(), null);
  c.close();
  await closed;
  await assert.rejects(Client.open(server.port!));
});

test('a client that half-closes right after sending still gets its answers', async () => {
  await withServer({}, async ({ client }) => {
    const c = await client();
    c.socket.end("{command:'list_groups', reqId: 1}\n{\"command\": \"list_groups\", \"reqId\": 2");
    assert.equal((await c.next()).reqId, 1);
    assert.match((await c.next()).errorMessage as string, /unexpected end of input/);
    assert.equal(await c.nextLine(), null);
  });
});

test('a Unix socket is created 0600, a stale one is replaced, and removed on close', async () => {
  await withTempDir('sigsock-', async (dir) => {
    const path = join(dir, 'daemon.sock');
    const logs: string[] = [];
    const first = await startSocketServer({ messenger: new FakeEngine(), path, log: (l) => logs.push(l) });
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(logs, [`listening on unix:${path}`]);
    // A live daemon's socket is not taken over.
    await assert.rejects(startSocketServer({ messenger: new FakeEngine(), path, log: () => {} }), /already listening/);
    await first.close();
    assert.equal(existsSync(path), false);

    // A daemon killed with -9 leaves its socket file behind.
    const child = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('ready'))`]);
    await new Promise((resolve) => child.stdout.once('data', resolve));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(statSync(path).isSocket(), true);
    const second = await startSocketServer({ messenger: new FakeEngine(), path, log: () => {} });
    await second.close();
  });
});

// ---------------------------------------------------------------- Connection over a scripted stream

/** A stream whose writes complete only when the test says so. */
class ScriptedSocket extends Duplex {
  written: string[] = [];
  private callbacks: ((err?: Error | null) => void)[] = [];

  constructor() {
    super({ writableHighWaterMark: 16 });
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.written.push(chunk.toString());
    this.callbacks.push(callback);
  }

  /** Completes the oldest write, successfully or not. */
  finishWrite(err?: Error): void {
    this.callbacks.shift()!(err);
  }

  async writeCount(n: number): Promise<void> {
    while (this.written.length < n) await new Promise((resolve) => setImmediate(resolve));
  }
}

function scriptedConnection(messenger: Messenger) {
  const socket = new ScriptedSocket();
  socket.on('error', () => {});
  const connection = new Connection(socket, { messenger, limits: resolveLimits() });
  return { socket, connection };
}

test('the lease is committed only once its answer was written', async () => {
  const messenger = new FakeEngine();
  const lease = fakeLease([textEntry(1, 'x')]);
  let settledHow: string | undefined;
  void lease.settled.then((how) => (settledHow = how));
  messenger.onTake = async () => lease;
  const { socket } = scriptedConnection(messenger);
  socket.push('{"command": "receive_messages"}\n');
  await socket.writeCount(1);
  assert.match(socket.written[0], /"body":"x"/);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settledHow, undefined, 'settled before the write completed');
  socket.finishWrite();
  assert.equal(await lease.settled, 'committed');
});

test('the lease is released when writing its answer fails', async () => {
  const messenger = new FakeEngine();
  const lease = fakeLease([textEntry(1, 'x')]);
  messenger.onTake = async () => lease;
  const { socket } = scriptedConnection(messenger);
  socket.push('{"command": "receive_messages"}\n');
  await socket.writeCount(1);
  socket.finishWrite(new Error('EPIPE'));
  assert.equal(await lease.settled, 'released');
});

/** A socket that takes vectored writes, as a TCP socket does: records each write call and its chunks. */
class VectoredSocket extends Duplex {
  writes: string[][] = [];
  private callbacks: ((err?: Error | null) => void)[] = [];

  constructor() {
    super({ writableHighWaterMark: 64 * 1024 });
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.writes.push([chunk.toString()]);
    this.callbacks.push(callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (err?: Error | null) => void): void {
    this.writes.push(chunks.map((c) => c.chunk.toString()));
    this.callbacks.push(callback);
  }

  finishWrite(err?: Error): void {
    this.callbacks.shift()!(err);
  }

  /** Until `n` answers were handed to the socket; fails when the connection waits for a write to finish first. */
  async answerCount(n: number): Promise<void> {
    for (let turns = 0; this.writes.flat().length < n; turns++) {
      assert.ok(turns < 1000, `${this.writes.flat().length} of ${n} answers written: the rest wait for the first write to finish`);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

test('answers to pipelined requests that are ready together leave in one write', async () => {
  const socket = new VectoredSocket();
  socket.on('error', () => {});
  new Connection(socket, { messenger: new FakeEngine(), limits: resolveLimits() });
  socket.push(Array.from({ length: 5 }, (_, i) => `{"command": "list_groups", "reqId": ${i}}\n`).join(''));
  await socket.answerCount(5);
  assert.equal(socket.writes.length, 1, `one write for five answers: ${JSON.stringify(socket.writes)}`);
  assert.deepEqual(
    socket.writes[0].map((line) => (JSON.parse(line) as { reqId: number }).reqId),
    [0, 1, 2, 3, 4],
  );
  socket.finishWrite();
});

test('answers written together are each settled by that write: a failed write releases every lease in it', async () => {
  const messenger = new FakeEngine();
  const leases = [fakeLease([textEntry(1, 'x')]), fakeLease([textEntry(2, 'y')])];
  messenger.onTake = async () => leases.shift()!;
  const [first, second] = leases;
  const socket = new VectoredSocket();
  socket.on('error', () => {});
  new Connection(socket, { messenger, limits: resolveLimits() });
  socket.push('{"command": "receive_messages", "reqId": 1}\n{"command": "receive_messages", "reqId": 2}\n');
  await socket.answerCount(2);
  assert.equal(socket.writes.length, 1, 'both answers in one write');
  socket.finishWrite(new Error('EPIPE'));
  assert.equal(await first.settled, 'released');
  assert.equal(await second.settled, 'released');
});

test('while the client does not take its answers no further command starts; reading goes on (for its FIN) up to 1 MiB, and all resumes on drain', async () => {
  const { socket } = scriptedConnection(new FakeEngine());
  socket.push('{"command": "list_groups", "reqId": "a long enough id to pass the high-water mark"}\n');
  await socket.writeCount(1);
  socket.push('{"command": "list_groups", "reqId": 2}\n');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(socket.written.length, 1, 'the second command waits for the first answer to drain');
  assert.equal(socket.isPaused(), false, 'still reading: a FIN would be seen');
  socket.push(Buffer.alloc(1024 * 1024, ' '));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(socket.isPaused(), true, 'paused once 1 MiB waits unparsed');
  socket.finishWrite();
  await socket.writeCount(2);
  assert.match(socket.written[1], /"reqId":2/);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(socket.isPaused(), false);
});
