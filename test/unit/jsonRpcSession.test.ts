// The JSON-RPC front-end without a network: the line reader and response writer (batches, bad JSON,
// ids of every JSON type, notifications), the mapping of methods onto the engine's commands, and
// the lease rule of pushed notifications — over a fake engine and in-memory streams.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createInterface } from 'node:readline';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachmentFiles } from '../../src/jsonrpc/attachmentFiles.js';
import { LineSplitter } from '../../src/jsonrpc/lineSplitter.js';
import { parseLine } from '../../src/jsonrpc/protocol.js';
import { Session } from '../../src/jsonrpc/session.js';
import type { InboxEntry, InboxLease, MessageExtras, SendTarget } from '../../src/messenger/api.js';
import type { AccountEngine } from '../../src/messenger/commands/index.js';
import { MessengerError } from '../../src/messenger/errors.js';
import { bytesOf, PLAIN_MESSAGE } from '../support/fakeEngine.js';

const ALICE = '+15550001111';
const BOB = '+15550002222';
const BOB_ACI = '11111111-2222-4333-8444-555555555555';

interface FakeInbox {
  entries: InboxEntry[];
  committed: InboxEntry[];
  released: number;
}

interface FakeSend {
  target: SendTarget;
  text?: string;
  attachments: { data: Buffer; filename?: string; contentType?: string }[];
  extras?: MessageExtras;
  /** A setExpiration call (updateContact). */
  expiration?: number;
}

function fakeEngine(inbox: FakeInbox, sends: FakeSend[]): AccountEngine {
  const waiters: (() => void)[] = [];
  let leased = false;
  const engine = {
    async sendMessage(target: SendTarget, text: string | undefined, attachments: { data: Buffer }[], extras?: MessageExtras) {
      sends.push({ target, text, attachments, extras });
      if (target.recipient === '+15550009999') throw new MessengerError('UNTRUSTED_IDENTITY', 'the safety number changed');
      return { timestamp: 1000 + sends.length, results: [{ recipient: target.recipient ?? null, aci: BOB_ACI, success: true, unidentified: false }] };
    },
    async setExpiration(target: SendTarget, seconds: number) {
      sends.push({ target, attachments: [], expiration: seconds });
      return { timestamp: 1000 + sends.length, results: [] };
    },
    async takeInbox(timeoutMs: number, signal?: AbortSignal): Promise<InboxLease> {
      for (;;) {
        if (!leased && inbox.entries.length > 0) {
          leased = true;
          const taken = inbox.entries.splice(0);
          let settled = false;
          return {
            entries: taken,
            commit: () => {
              if (settled) return;
              settled = true;
              leased = false;
              inbox.committed.push(...taken);
            },
            release: () => {
              if (settled) return;
              settled = true;
              leased = false;
              inbox.released++;
              inbox.entries.unshift(...taken);
              for (const w of waiters.splice(0)) w();
            },
          };
        }
        if (signal?.aborted) return { entries: [], commit() {}, release() {} };
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(timeoutMs, 50));
          waiters.push(resolve);
          signal?.addEventListener('abort', () => resolve());
          void timer;
        });
      }
    },
    listIdentities: () => [{ number: BOB, uuid: BOB_ACI, trust: 'trusted', safetyNumber: '12345 67890' }],
    trustIdentity: async () => ({ aci: BOB_ACI, safetyNumber: '1234567890' }),
  };
  return engine as unknown as AccountEngine;
}

function message(body: string): InboxEntry {
  return { kind: 'message', sender: { aci: BOB_ACI, e164: BOB }, timestamp: 42, groupId: null, body, attachments: [], reaction: null, ...PLAIN_MESSAGE };
}

/** Sessions of the running test: their input is ended afterwards, so nothing keeps waiting. */
const open: { input: PassThrough; s: Session }[] = [];
afterEach(async () => {
  for (const { input, s } of open.splice(0)) {
    input.end();
    await s.done;
  }
});

function session(options: { mode?: 'on-start' | 'manual'; inbox?: FakeInbox } = {}) {
  const input = new PassThrough();
  const output = new PassThrough();
  const inbox = options.inbox ?? { entries: [], committed: [], released: 0 };
  const sends: Parameters<typeof fakeEngine>[1] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'sigsock-jsonrpc-'));
  const s = new Session({
    input,
    output,
    socket: false,
    ctx: { engine: fakeEngine(inbox, sends), account: ALICE, dataDir, attachments: new AttachmentFiles(join(dataDir, 'attachments')), maxAttachmentBytes: 1024 },
    receiveMode: options.mode ?? 'manual',
    ignoreAttachments: false,
    maxLineBytes: 4096,
    maxPending: 4,
    log: () => {},
  });
  open.push({ input, s });
  const lines: any[] = [];
  const wake: (() => void)[] = [];
  output.on('error', () => {});
  createInterface({ input: output })
    .on('line', (l) => {
      lines.push(JSON.parse(l));
      for (const w of wake.splice(0)) w();
    })
    .on('error', () => {});
  const next = async () => {
    while (lines.length === 0) await new Promise<void>((r) => wake.push(r));
    return lines.shift();
  };
  return { s, input, output, inbox, sends, next, send: (text: string) => input.write(text + '\n') };
}

describe('JSON-RPC reading', () => {
  it('splits lines, skips one that is too long with one report, and takes \\r\\n', () => {
    const splitter = new LineSplitter(8);
    assert.deepEqual(splitter.push(Buffer.from('abc\r\n0123456789abc\nde')), [
      { kind: 'line', text: 'abc' },
      { kind: 'tooLong', bytes: 13 },
    ]);
    assert.deepEqual(splitter.push(Buffer.from('f\n')), [{ kind: 'line', text: 'def' }]);
  });

  it('parses requests, notifications and batches; rejects what is not a request', () => {
    assert.equal(parseLine('{oops').items[0].kind, 'invalid');
    assert.equal(parseLine('[]').items[0].kind, 'invalid');
    const batch = parseLine('[{"jsonrpc":"2.0","method":"a","id":1},{"jsonrpc":"2.0","method":"b"},5]');
    assert.equal(batch.batch, true);
    assert.deepEqual(
      batch.items.map((i) => (i.kind === 'request' ? [i.request.method, i.request.hasId] : i.response)),
      [['a', true], ['b', false], { jsonrpc: '2.0', error: { code: -32600, message: 'a request must be an object' }, id: null }],
    );
  });
});

describe('JSON-RPC sessions', () => {
  it('echoes ids of every JSON type, answers errors with standard codes, and says nothing to notifications', async () => {
    const t = session();
    for (const id of ['a', 7, 1.5, true, null]) {
      t.send(JSON.stringify({ jsonrpc: '2.0', method: 'nope', id }));
      const r = await t.next();
      assert.equal(r.id, id);
      assert.equal(r.error.code, -32601);
    }
    t.send('{"jsonrpc":"2.0","method":"nope"}');
    t.send('{not json');
    assert.equal((await t.next()).error.code, -32700, 'the notification got no answer; the bad line did');
    t.send('{"method":"version","id":1}');
    assert.deepEqual(await t.next(), { jsonrpc: '2.0', error: { code: -32600, message: 'only jsonrpc version 2.0 is supported' }, id: 1 });
    t.send('{"jsonrpc":"2.0","id":2}');
    assert.equal((await t.next()).error.message, 'method field must be set');
    t.send('{"jsonrpc":"2.0","method":"listCalls","id":3}');
    assert.match((await t.next()).error.message, /signal-cli method that sigsock does not support yet/);
    t.send('x'.repeat(5000));
    assert.equal((await t.next()).error.code, -32700);
  });

  it('answers a batch with one array, leaving out its notifications', async () => {
    const t = session();
    t.send('[{"jsonrpc":"2.0","method":"nope","id":1},{"jsonrpc":"2.0","method":"nope"},{"jsonrpc":"2.0","method":"nope","id":2}]');
    assert.deepEqual((await t.next()).map((r: any) => r.id), [1, 2]);
  });

  it('maps send onto the engine: recipients as a string or an array, data: URIs, signal-cli result shape', async () => {
    const t = session();
    const uri = `data:text/plain;filename=a.txt;base64,${Buffer.from('hello').toString('base64')}`;
    t.send(JSON.stringify({ jsonrpc: '2.0', method: 'send', params: { recipient: [BOB, BOB_ACI], message: 'hi', attachments: [uri] }, id: 1 }));
    const r = await t.next();
    assert.deepEqual(r.result, { timestamp: 1001, results: [0, 1].map(() => ({ recipientAddress: { uuid: BOB_ACI, number: null }, type: 'SUCCESS' })).map((x, i) => (i === 0 ? { ...x, recipientAddress: { uuid: BOB_ACI, number: BOB } } : x)) });
    assert.deepEqual(t.sends.map((s) => s.target), [{ recipient: BOB }, { recipient: BOB_ACI }]);
    assert.equal(t.sends[0].text, 'hi');
    assert.equal(t.sends[0].attachments[0].filename, 'a.txt');
    assert.equal(t.sends[0].attachments[0].contentType, 'text/plain');
    assert.equal(Buffer.from(t.sends[0].attachments[0].data).toString(), 'hello');
  });

  it("maps send's sticker (with its image), viewOnce and link preview parameters; updateContact's expiration", async () => {
    const t = session();
    const image = `data:image/webp;base64,${Buffer.from('sticker').toString('base64')}`;
    const sticker = `${'ab'.repeat(16)}:${'cd'.repeat(32)}:7`;
    t.send(JSON.stringify({ jsonrpc: '2.0', method: 'send', params: { recipient: BOB, sticker, stickerImage: image }, id: 1 }));
    assert.ok((await t.next()).result);
    const sent = t.sends[0].extras?.sticker;
    assert.deepEqual([sent?.packId, sent?.packKey, sent?.stickerId, sent?.image.contentType], ['ab'.repeat(16), 'cd'.repeat(32), 7, 'image/webp']);
    assert.equal(bytesOf(sent!.image).toString(), 'sticker');
    t.send(JSON.stringify({ jsonrpc: '2.0', method: 'send', params: { recipient: BOB, message: 'see https://x.example', viewOnce: true, previewUrl: 'https://x.example', previewTitle: 'X' }, id: 2 }));
    assert.ok((await t.next()).result);
    assert.equal(t.sends[1].extras?.viewOnce, true);
    assert.deepEqual(t.sends[1].extras?.previews, [{ url: 'https://x.example', title: 'X' }]);
    t.send(JSON.stringify({ jsonrpc: '2.0', method: 'send', params: { recipient: BOB, sticker: `${'ab'.repeat(16)}:7` }, id: 3 }));
    assert.match((await t.next()).error.message, /sigsock keeps no sticker packs/);
    t.send(JSON.stringify({ jsonrpc: '2.0', method: 'updateContact', params: { recipient: BOB, expiration: 600 }, id: 4 }));
    assert.ok((await t.next()).result);
    assert.deepEqual(t.sends.at(-1), { target: { recipient: BOB }, attachments: [], expiration: 600 });
  });

  it('refuses what it cannot honour, and reports a send that reached nobody with its results', async () => {
    const t = session();
    t.send(JSON.stringify({ jsonrpc: '2.0', method: 'send', params: { recipient: BOB, message: 'x', endSession: true }, id: 1 }));
    assert.deepEqual((await t.next()).error.code, -1);
    assert.equal(t.sends.length, 0, 'nothing was sent');
    t.send(JSON.stringify({ jsonrpc: '2.0', method: 'send', params: { recipient: '+15550009999', message: 'x' }, id: 2 }));
    const r = await t.next();
    assert.equal(r.error.code, -4);
    assert.equal(r.error.data.response.results[0].type, 'IDENTITY_FAILURE');
    t.send(JSON.stringify({ jsonrpc: '2.0', method: 'send', params: { recipient: '12', message: 'x' }, id: 3 }));
    assert.equal((await t.next()).error.code, -1);
  });

  it('pushes waiting entries once subscribed, and commits them only once written', async () => {
    const inbox: FakeInbox = { entries: [message('one'), message('two')], committed: [], released: 0 };
    const t = session({ inbox });
    t.send('{"jsonrpc":"2.0","method":"subscribeReceive","id":1}');
    const sub = await t.next();
    const first = await t.next();
    const second = await t.next();
    assert.equal(first.params.subscription, sub.result);
    assert.deepEqual([first, second].map((n) => n.params.result.envelope.dataMessage.message), ['one', 'two']);
    assert.equal(first.params.result.account, ALICE);
    while (inbox.committed.length < 2) await new Promise((r) => setImmediate(r));
    assert.equal(inbox.released, 0);
  });

  it('gives a push back to the inbox when the output fails', async () => {
    const inbox: FakeInbox = { entries: [], committed: [], released: 0 };
    const t = session({ inbox, mode: 'on-start' });
    t.output.destroy(new Error('EPIPE'));
    inbox.entries.push(message('kept'));
    await t.s.done;
    assert.deepEqual(inbox.committed, []);
    assert.deepEqual(inbox.entries.map((e) => (e.kind === 'message' ? e.body : null)), ['kept']);
  });
});
