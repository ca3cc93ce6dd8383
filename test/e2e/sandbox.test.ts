// Issue 5: `sigsock sandbox` as a newcomer runs it — a child process, its ready line, then the
// socket: Echo's text, attachment and 👍, the Sandbox group, and a clean SIGTERM exit.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { BIN } from '../support/harness.js';
import { client, type Client } from '../support/lineClient.js';
import { within } from '../support/contactActions.js';
import { tcpRpc } from './jsonRpcClient.js';
import { httpCall, openEvents, postRpc } from './httpRpcClient.js';

interface Ready {
  ready: true;
  account: string;
  host: string;
  port: number;
  jsonRpcPort: number;
  httpPort: number;
  contacts: { name: string; number: string; uuid: string }[];
  groups: { name: string; groupId: string }[];
}

/** Receives until `predicate` has matched `count` messages (in any order), or fails after the deadline. */
async function receiveUntil(c: Client, count: number, predicate: (m: Record<string, any>) => boolean): Promise<Record<string, any>[]> {
  const matched: Record<string, any>[] = [];
  const deadline = Date.now() + 20_000;
  while (matched.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${matched.length} of ${count} expected messages arrived`);
    const res = await c.request({ command: 'receive_messages', timeout: 2000 });
    matched.push(...(res.messages as Record<string, any>[]).filter(predicate));
  }
  return matched;
}

describe('sigsock sandbox', () => {
  let child: ChildProcess;
  let ready: Ready;
  let c: Client;
  let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  before(async () => {
    child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0', '--jsonrpc-port', '0', '--http-port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
    ready = await new Promise<Ready>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as Ready));
      void exited.then(() => reject(new Error(`sandbox exited before it was ready:\n${stderr}`)));
    });
    c = await client(ready.port);
  });
  after(() => {
    c?.close();
    if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints one ready line with the account, contacts and group', () => {
    assert.equal(ready.ready, true);
    assert.equal(ready.host, '127.0.0.1');
    assert.match(ready.account, /^\+\d+$/);
    assert.deepEqual(ready.contacts.map((x) => x.name), ['Echo', 'Greeter']);
    assert.equal(ready.groups[0]?.name, 'Sandbox group');
  });

  it("delivers Greeter's hello", async () => {
    const greeter = ready.contacts[1]!;
    const [hello] = await receiveUntil(c, 1, (m) => m.senderUuid === greeter.uuid && !m.groupId);
    assert.match(hello!.body, /Hello from Greeter/);
  });

  it('echoes text and attachments, and reacts 👍', async () => {
    const echo = ready.contacts[0]!;
    const data = randomBytes(30_000);
    const sent = await c.request({
      command: 'send_message',
      recipient: echo.number,
      dataMessage: { message: 'ping', attachments: [{ base64Data: data.toString('base64'), filename: 'x.bin' }] },
    });
    assert.equal(sent.statusCode, 0, JSON.stringify(sent));
    const got = await receiveUntil(c, 3, (m) => m.senderUuid === echo.uuid && !m.groupId && !m.receiptMessage);
    const text = got.find((m) => m.body === 'ping');
    const file = got.find((m) => m.attachments.length > 0);
    const like = got.find((m) => m.reaction);
    assert.ok(text, 'the text comes back');
    assert.equal(file?.attachments[0].filename, 'x.bin');
    assert.equal(file?.attachments[0].contentType, 'application/octet-stream');
    assert.ok(Buffer.from(file!.attachments[0].base64Data, 'base64').equals(data), 'the same bytes come back');
    assert.deepEqual(like?.reaction, { emoji: '👍', author: ready.account, authorUuid: like?.reaction.authorUuid, timestamp: sent.timestamp, remove: false });
  });

  it('answers a quoting message with a quoting reply, an edit with an edit of its reply, and sends delivery and read receipts', async () => {
    const echo = ready.contacts[0]!;
    const fromEcho = (m: Record<string, any>) => m.senderUuid === echo.uuid && !m.groupId;
    const question = await c.request({ command: 'send_message', recipient: echo.number, dataMessage: { message: 'question' } });
    const [asked] = await receiveUntil(c, 1, (m) => fromEcho(m) && m.body === 'question');
    const quoting = await c.request({
      command: 'send_message',
      recipient: echo.number,
      dataMessage: { message: 'about this', quote: { timestamp: asked!.timestamp, author: echo.uuid, text: 'question' } },
    });
    assert.equal(quoting.statusCode, 0, JSON.stringify(quoting));
    const [reply] = await receiveUntil(c, 1, (m) => fromEcho(m) && m.body === 'about this');
    assert.deepEqual(reply!.quote, { id: quoting.timestamp, author: ready.account, authorUuid: reply!.quote.authorUuid, text: 'about this' });

    const edit = await c.request({ command: 'send_message', recipient: echo.number, dataMessage: { message: 'about that', editTimestamp: quoting.timestamp } });
    assert.equal(edit.statusCode, 0, JSON.stringify(edit));
    // Echo's edit of its reply, and its receipts for the edit: its app got it and its user read it.
    const got = await receiveUntil(c, 3, (m) => fromEcho(m) && (m.editMessage !== undefined || m.receiptMessage?.timestamps.includes(edit.timestamp)));
    const edited = got.find((m) => m.editMessage);
    assert.deepEqual([edited?.body, edited?.editMessage], ['about that', { targetSentTimestamp: reply!.timestamp }]);
    assert.deepEqual(got.filter((m) => m.receiptMessage).map((r) => r.receiptMessage.type).sort(), ['DELIVERY', 'READ']);
    assert.equal(question.statusCode, 0, JSON.stringify(question));
  });

  it('shares its profile key as Signal apps do: get_profile reads Echo and Greeter, list_contacts shows their profile names', async () => {
    const [echo, greeter] = ready.contacts;
    // Greeter's hello (an earlier test took it) and Echo's answers carried their profile keys.
    for (const contact of [echo!, greeter!]) {
      const res = await c.request({ command: 'get_profile', recipient: contact.number });
      assert.equal(res.statusCode, 0, JSON.stringify(res));
      assert.equal(res.profile.givenName, contact.name);
    }
    const listed = await c.request({ command: 'list_contacts', recipients: [echo!.number, greeter!.number] });
    assert.deepEqual(
      (listed.contacts as Record<string, any>[]).map((x) => [x.number, x.profileName]).sort(),
      [echo!, greeter!].map((x) => [x.number, x.name]).sort(),
    );
  });

  it("carries the conversation's timer in its replies, and reacts to neither a timer change nor a remote delete", async () => {
    const echo = ready.contacts[0]!;
    const fromEcho = (m: Record<string, any>) => m.senderUuid === echo.uuid && !m.groupId;
    const seen: Record<string, any>[] = [];
    const until = (predicate: (m: Record<string, any>) => boolean) =>
      receiveUntil(c, 1, (m) => {
        seen.push(m);
        return fromEcho(m) && predicate(m);
      });
    const timer = await c.request({ command: 'set_expiration', recipient: echo.number, expiration: 600 });
    assert.equal(timer.statusCode, 0, JSON.stringify(timer));
    const timed = await c.request({ command: 'send_message', recipient: echo.number, dataMessage: { message: 'timed' } });
    const [reply] = await until((m) => m.body === 'timed');
    assert.equal(reply!.expiresInSeconds, 600);
    const listed = async () => (await c.request({ command: 'list_contacts', recipients: [echo.number] })).contacts[0].messageExpirationTime;
    assert.equal(await listed(), 600, 'list_contacts shows the timer of the conversation');
    const deleted = await c.request({ command: 'remote_delete', recipient: echo.number, targetTimestamp: timed.timestamp });
    assert.equal(deleted.statusCode, 0, JSON.stringify(deleted));
    const off = await c.request({ command: 'set_expiration', recipient: echo.number, expiration: 0 });
    const last = await c.request({ command: 'send_message', recipient: echo.number, dataMessage: { message: 'untimed' } });
    // Echo answers in order, so once it reacted to the last message it has answered the others.
    await until((m) => m.reaction?.timestamp === last.timestamp);
    const [untimed] = seen.filter((m) => fromEcho(m) && m.body === 'untimed');
    assert.equal(untimed?.expiresInSeconds, undefined, 'the timer is off again');
    assert.equal(await listed(), 0);
    const reactedTo = seen.filter((m) => fromEcho(m) && m.reaction).map((m) => m.reaction.timestamp);
    for (const flagOnly of [timer, deleted, off]) assert.ok(!reactedTo.includes(flagOnly.timestamp), `no 👍 for ${JSON.stringify(flagOnly)}`);
    assert.ok(reactedTo.includes(timed.timestamp));
  });

  it('sends back stickers, view-once attachments, link previews, mentions and text styles as it got them', async () => {
    const echo = ready.contacts[0]!;
    const fromEcho = (m: Record<string, any>) => m.senderUuid === echo.uuid && !m.groupId;
    const image = { base64Data: randomBytes(40).toString('base64'), contentType: 'image/webp' };
    const sticker = await c.request({
      command: 'send_message',
      recipient: echo.number,
      dataMessage: { sticker: { packId: 'ab'.repeat(16), packKey: 'cd'.repeat(32), stickerId: 7, emoji: '🐱', image } },
    });
    assert.equal(sticker.statusCode, 0, JSON.stringify(sticker));
    const once = await c.request({
      command: 'send_message',
      recipient: echo.number,
      dataMessage: { viewOnce: true, attachments: [{ ...image, filename: 'once.webp' }] },
    });
    assert.equal(once.statusCode, 0, JSON.stringify(once));
    const url = 'https://example.org/sandbox';
    const preview = await c.request({
      command: 'send_message',
      recipient: echo.number,
      dataMessage: { message: `look ${url}`, previews: [{ url, title: 'A page', description: 'about it' }] },
    });
    assert.equal(preview.statusCode, 0, JSON.stringify(preview));
    const styled = await c.request({
      command: 'send_message',
      recipient: echo.number,
      dataMessage: { message: 'hey Echo', mentions: [{ recipient: echo.uuid, start: 4, length: 4 }], textStyles: [{ style: 'BOLD', start: 0, length: 3 }] },
    });
    assert.equal(styled.statusCode, 0, JSON.stringify(styled));
    const got = await receiveUntil(
      c,
      4,
      (m) => fromEcho(m) && (m.sticker !== undefined || m.viewOnce === true || m.previews !== undefined || m.textStyles !== undefined),
    );
    const ranged = got.find((m) => m.textStyles);
    assert.deepEqual(ranged?.textStyles, [{ style: 'BOLD', start: 0, length: 3 }]);
    assert.deepEqual(ranged?.mentions, [{ number: echo.number, uuid: echo.uuid, start: 4, length: 4 }]);
    const echoed = got.find((m) => m.sticker);
    assert.deepEqual([echoed?.sticker.packId, echoed?.sticker.stickerId, echoed?.sticker.emoji], ['ab'.repeat(16), 7, '🐱']);
    assert.equal(echoed?.sticker.attachment.base64Data, image.base64Data);
    assert.equal(got.find((m) => m.viewOnce)?.attachments[0].filename, 'once.webp');
    assert.deepEqual(
      got.find((m) => m.previews)?.previews.map((p: Record<string, unknown>) => [p.url, p.title, p.description]),
      [[url, 'A page', 'about it']],
    );
  });

  it('answers in the Sandbox group', async () => {
    const { groupId } = ready.groups[0]!;
    const sent = await c.request({ command: 'send_message', groupId, dataMessage: { message: 'hello group' } });
    assert.equal(sent.statusCode, 0, JSON.stringify(sent));
    const [reply] = await receiveUntil(c, 1, (m) => m.groupId === groupId && m.body === 'hello group');
    assert.equal(reply!.senderUuid, ready.contacts[0]!.uuid);
  });

  it('lists the Sandbox group with its title and members (list_groups)', async () => {
    const res = await c.request({ command: 'list_groups' });
    assert.equal(res.statusCode, 0, JSON.stringify(res));
    const group = (res.groups as Record<string, any>[]).find((g) => g.groupId === ready.groups[0]!.groupId);
    assert.equal(group?.title, 'Sandbox group');
    assert.equal(group?.isMember, true);
    const numbers = group!.members.map((m: { number: string | null }) => m.number);
    for (const contact of ready.contacts) assert.ok(numbers.includes(contact.number), `${contact.name} is listed`);
    assert.ok(numbers.includes(ready.account), 'the account itself is listed');
  });

  it("serves signal-cli's JSON-RPC too: a send to Echo, and Echo's reply pushed on the same connection", async () => {
    const echo = ready.contacts[0]!;
    const rpc = await tcpRpc(ready.jsonRpcPort);
    try {
      const sent = await rpc.call('send', { recipient: [echo.number], message: 'hi over json-rpc' });
      assert.equal(sent.result?.results?.[0]?.type, 'SUCCESS', JSON.stringify(sent));
      // Echo answers with the text and a 👍; the reply is the one with a message.
      let reply: Record<string, any>;
      do reply = await rpc.notification();
      while (reply.envelope?.dataMessage?.message !== 'hi over json-rpc');
      assert.equal(reply.account, ready.account);
      assert.equal(reply.envelope.sourceUuid, echo.uuid);
    } finally {
      rpc.socket.destroy();
    }
  });

  it('runs examples/tour.py, a stdlib Python client written from the docs alone, to the end', async () => {
    const tour = join(dirname(dirname(BIN)), 'examples', 'tour.py');
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('python3', [tour, String(ready.port)], { timeout: 120_000 }, (err, out, errText) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout: out, stderr: errText });
      });
    });
    assert.equal(code, 0, `python3 examples/tour.py failed:\n${stderr}\n${stdout}`);
    for (const step of ['reply', 'get_user_status', 'unblocked', 'get_profile']) assert.match(stdout, new RegExp(`^${step}\\b`, 'm'), stdout);
  });

  it("serves JSON-RPC over HTTP: POST /api/v1/rpc sends to Echo, and Echo's reply comes on GET /api/v1/events", async () => {
    assert.notEqual(ready.httpPort, ready.jsonRpcPort);
    assert.equal((await httpCall(ready.httpPort, 'GET', '/api/v1/check')).status, 200);
    const echo = ready.contacts[0]!;
    const events = await openEvents(ready.httpPort);
    try {
      assert.equal(events.status, 200);
      const sent = await postRpc(ready.httpPort, { jsonrpc: '2.0', method: 'send', params: { recipient: [echo.number], message: 'hi over http' }, id: 1 });
      assert.equal(sent.status, 200, sent.text);
      assert.equal(sent.json().result?.results?.[0]?.type, 'SUCCESS', sent.text);
      let reply: Record<string, any>;
      do reply = await events.next();
      while (reply.envelope?.dataMessage?.message !== 'hi over http');
      assert.equal(reply.account, ready.account);
      assert.equal(reply.envelope.sourceUuid, echo.uuid);
    } finally {
      events.destroy();
    }
  });

  it('exits 0 within 5 s of SIGTERM, leaving no process behind', async () => {
    child.kill('SIGTERM');
    // A liveness bound, not a speed figure: a sandbox that hangs on shutdown fails here.
    const { code } = await within(exited, 5000, 'the sandbox to exit after SIGTERM');
    assert.equal(code, 0);
    assert.throws(() => process.kill(child.pid!, 0), /ESRCH/, 'no process is left behind');
  });
});
