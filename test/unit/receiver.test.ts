// The receive pipeline with fakes around it (decryption, the store's batch, the recorder): an
// envelope is committed before it is acknowledged, a redelivery is dropped, failures become entries,
// a commit that does not hold is never acknowledged, and envelopes are handled in arrival order; a
// burst shares one commit (group commit) and is acknowledged only after it.
import { PLAIN_MESSAGE } from '../support/fakeEngine.js';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, LibSignalErrorBase } from '@signalapp/libsignal-client';
import { DataMessageFlags, encodeContent, encodeEnvelope } from '../../src/proto/index.js';
import { DiskFullError } from '../../src/store/diskFull.js';
import type { ProtocolBatch } from '../../src/store/protocolStores.js';
import { EnvelopeType, type EnvelopeInput } from '../../src/messenger/envelopeDecryptor.js';
import type { ReceiveOutcome } from '../../src/messenger/receiveRecorder.js';
import { RECEIVE_GROUP_MAX, Receiver, type DecryptFn, type ReceiveBatch } from '../../src/messenger/receiver.js';
import { Mutex } from '../../src/util/mutex.js';

const LOCAL_ACI = '00000000-0000-4000-8000-00000000000a';
const SENDER_ACI = '00000000-0000-4000-8000-00000000000b';

/** An envelope whose "ciphertext" is the Content itself: the fake decryption hands it back. */
function envelope(guid: string, body: string): Uint8Array {
  const content = encodeContent({ dataMessage: { body, timestamp: 1700000000000 } });
  return encodeEnvelope({ type: EnvelopeType.CIPHERTEXT, sourceServiceId: SENDER_ACI, sourceDevice: 1, content, serverGuid: guid, serverTimestamp: 1 });
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function world(options: { decrypt?: DecryptFn; stores?: Partial<ProtocolBatch['stores']> } = {}) {
  const events: string[] = [];
  const committed = new Map<string, ReceiveOutcome>();
  /** Makes the next commits throw this (a full disk, a broken database). */
  let commitFailure: (() => Error) | null = null;
  /** The ids each transaction held, one array per commit. */
  const transactions: string[][] = [];
  /** An envelope whose writes break any transaction that holds it (a constraint, a broken row). */
  let poison: string | null = null;
  const openBatch = (): ReceiveBatch => ({
    stores: (options.stores ?? {}) as ProtocolBatch['stores'],
    commit(also?: () => void) {
      if (commitFailure) throw commitFailure();
      also?.();
    },
    savepoint: () => () => events.push('discard'),
  });
  const decrypt: DecryptFn = options.decrypt ?? (async (env: EnvelopeInput) => plaintext(env));
  const logged: string[] = [];
  const receiver = new Receiver({
    recorder: {
      hasSeen: (id) => committed.has(id),
      commitAll(batch, records) {
        if (poison && records.some((r) => r.envelopeId === poison)) throw new Error(`constraint failed for ${poison}`);
        batch.commit(() => {
          transactions.push(records.map((r) => r.envelopeId));
          for (const { envelopeId, outcome } of records) committed.set(envelopeId, outcome);
        });
        for (const { envelopeId, outcome } of records) events.push(`commit ${envelopeId} ${describeOutcome(outcome)}`);
      },
    },
    openBatch,
    protocolLock: new Mutex(),
    local: { aci: LOCAL_ACI, pni: null, e164: '+4915100000000', deviceId: 2 },
    trustRoots: [],
    decrypt,
    log: (line) => logged.push(line),
    afterCommit: (effects) => events.push(`afterCommit ${(effects?.entry?.value.kind === 'message' ? effects.entry.value.body : '-')}`),
  });
  const enqueue = (guid: string, bytes: Uint8Array) => {
    const acked = deferred();
    receiver.enqueue(bytes, () => {
      events.push(`ack ${guid}`);
      acked.resolve();
    });
    return acked.promise;
  };
  return {
    receiver,
    events,
    committed,
    logged,
    enqueue,
    transactions,
    failCommits: (make: (() => Error) | null) => (commitFailure = make),
    poison: (id: string) => (poison = id),
  };
}

function plaintext(env: EnvelopeInput) {
  return { senderAci: env.sourceServiceId!, senderDevice: env.sourceDevice, senderE164: null, sealed: false, content: env.content, groupId: null };
}

function describeOutcome(outcome: ReceiveOutcome): string {
  if (outcome.kind === 'interpreted') return `message:${(outcome.effects.entry?.value.kind === 'message' ? outcome.effects.entry.value.body : '-')}`;
  if (outcome.kind === 'failed') return `${outcome.failure.failure}`;
  return 'duplicate';
}

describe('receiver', () => {
  it("archives the sender's session on END_SESSION, in the envelope's batch, and shows nothing", async () => {
    const events: string[] = [];
    const session = {
      getSession: async (address: { name(): string; deviceId(): number }) => {
        events.push(`get ${address.name()}.${address.deviceId()}`);
        return { archiveCurrentState: () => events.push('archive') };
      },
      saveSession: async () => void events.push('save'),
    };
    const w = world({ stores: { session } as unknown as Partial<ProtocolBatch['stores']> });
    const content = encodeContent({ dataMessage: { timestamp: 1700000000000, flags: DataMessageFlags.END_SESSION } });
    await w.enqueue('g1', encodeEnvelope({ type: EnvelopeType.CIPHERTEXT, sourceServiceId: SENDER_ACI, sourceDevice: 3, content, serverGuid: 'g1', serverTimestamp: 1 }));
    assert.deepEqual(events, [`get ${SENDER_ACI}.3`, 'archive', 'save']);
    assert.deepEqual(w.events, ['commit g1 message:-', 'ack g1', 'afterCommit -']);
  });

  it('commits the entry with the ratchet state before it acknowledges the envelope', async () => {
    const w = world();
    await w.enqueue('g1', envelope('g1', 'hi'));
    assert.deepEqual(w.events, ['commit g1 message:hi', 'ack g1', 'afterCommit hi']);
    const outcome = w.committed.get('g1');
    assert.equal(outcome?.kind, 'interpreted');
    assert.deepEqual(outcome.effects.entry?.value, {
      kind: 'message',
      sender: { aci: SENDER_ACI, e164: null },
      timestamp: 1700000000000,
      groupId: null,
      body: 'hi',
      reaction: null,
      ...PLAIN_MESSAGE,
      delivery: { senderDevice: 1, serverReceivedTimestamp: 1, serverDeliveredTimestamp: 0 },
    });
  });

  it('acknowledges a redelivered envelope without recording it again, also when the server re-encodes it', async () => {
    const w = world();
    await w.enqueue('g1', envelope('g1', 'hi'));
    await w.enqueue('g1', envelope('g1', 'hi'));
    await w.enqueue('g1', envelope('g1', 'hi, re-encoded'));
    assert.deepEqual(w.events, ['commit g1 message:hi', 'ack g1', 'afterCommit hi', 'ack g1', 'ack g1']);
  });

  it('records an envelope decrypted before (libsignal: duplicated message) by its id only', async () => {
    const duplicated = Object.assign(Object.create(LibSignalErrorBase.prototype) as LibSignalErrorBase, { code: ErrorCode.DuplicatedMessage, message: 'duplicate' });
    const w = world({ decrypt: async () => Promise.reject(duplicated) });
    await w.enqueue('g1', envelope('g1', 'hi'));
    assert.deepEqual(w.events, ['discard', 'commit g1 duplicate', 'ack g1', 'afterCommit -']);
  });

  it('turns an envelope that does not decrypt into an undecryptable entry, committed before the ack', async () => {
    const w = world({ decrypt: async () => Promise.reject(new Error('invalid MAC')) });
    await w.enqueue('g1', envelope('g1', 'hi'));
    assert.deepEqual(w.events, ['discard', 'commit g1 undecryptable', 'ack g1', 'afterCommit -']);
    assert.deepEqual(w.committed.get('g1'), {
      kind: 'failed',
      failure: { kind: 'failure', failure: 'undecryptable', senderServiceId: SENDER_ACI, reason: `could not decrypt a message from ${SENDER_ACI}: invalid MAC` },
    });
  });

  it('turns bytes that are no envelope, and content that does not parse, into unparseable entries', async () => {
    const w = world({ decrypt: async (env) => ({ ...plaintext(env), content: new Uint8Array([0xff, 0xff, 0xff]) }) });
    await w.enqueue('junk', new Uint8Array([0x0a, 0xff]));
    await w.enqueue('g2', envelope('g2', 'hi'));
    assert.deepEqual(
      w.events.filter((e) => e.startsWith('commit')).map((e) => e.split(' ')[2]),
      ['unparseable', 'unparseable'],
    );
    const failures = [...w.committed.values()].map((o) => (o.kind === 'failed' ? o.failure : null));
    assert.match(failures[0]!.reason, /^received an envelope that is not valid: /);
    assert.equal(failures[0]!.senderServiceId, null);
    assert.match(failures[1]!.reason, new RegExp(`^could not parse a message from ${SENDER_ACI}: `));
  });

  it('never acknowledges an envelope whose commit failed; the next one is handled', async () => {
    const w = world();
    w.failCommits(() => new Error('database is locked'));
    w.receiver.enqueue(envelope('g1', 'lost?'), () => w.events.push('ack g1'));
    await w.receiver.idle();
    w.failCommits(null);
    await w.enqueue('g2', envelope('g2', 'next'));
    assert.deepEqual(w.events, ['commit g2 message:next', 'ack g2', 'afterCommit next']);
    assert.ok(w.logged.some((l) => /left for redelivery: database is locked/.test(l)), w.logged.join('\n'));
  });

  it('on a full disk holds the envelope unacknowledged, and the ones after it, until a commit holds again', async () => {
    const w = world();
    w.failCommits(() => new DiskFullError('/data/account.db', { cause: Object.assign(new Error('full'), { code: 'SQLITE_FULL' }) }));
    const first = w.enqueue('g1', envelope('g1', 'one'));
    const second = w.enqueue('g2', envelope('g2', 'two'));
    while (!w.logged.some((l) => /^receive: paused/.test(l))) await new Promise((r) => setImmediate(r));
    assert.equal(w.events.length, 0, 'nothing acked or committed while the disk is full');
    w.failCommits(null);
    w.receiver.retryNow();
    await Promise.all([first, second]);
    assert.deepEqual(w.events, ['commit g1 message:one', 'ack g1', 'afterCommit one', 'commit g2 message:two', 'ack g2', 'afterCommit two']);
    assert.ok(w.logged.some((l) => /resumed/.test(l)));
    w.receiver.stop();
  });

  it('handles envelopes in arrival order even when an earlier one decrypts slowly', async () => {
    const slow = deferred();
    const firstStarted = deferred();
    const decrypted: string[] = [];
    const w = world({
      decrypt: async (env) => {
        const body = new TextDecoder().decode(env.content);
        decrypted.push(body.includes('first') ? 'first' : 'later');
        if (body.includes('first')) {
          firstStarted.resolve();
          await slow.promise;
        }
        return plaintext(env);
      },
    });
    const acks = [w.enqueue('g1', envelope('g1', 'first')), w.enqueue('g2', envelope('g2', 'second')), w.enqueue('g3', envelope('g3', 'third'))];
    await firstStarted.promise;
    assert.deepEqual(decrypted, ['first'], 'later envelopes wait for the first');
    slow.resolve();
    await Promise.all(acks);
    assert.deepEqual(
      w.events.filter((e) => e.startsWith('ack')),
      ['ack g1', 'ack g2', 'ack g3'],
    );
    assert.deepEqual([...w.committed.keys()], ['g1', 'g2', 'g3']);
  });
  /** g1 decrypts slowly; g2..gN arrive meanwhile, as a burst from the server does. */
  async function burstBehindSlowFirst(w: ReturnType<typeof world>, gate: { started: Promise<void>; release: () => void }, later: string[]) {
    const acks = [w.enqueue('g1', envelope('g1', 'first'))];
    await gate.started;
    for (const guid of later) acks.push(w.enqueue(guid, envelope(guid, guid)));
    gate.release();
    await Promise.all(acks);
  }

  function slowFirst(decryptRest: DecryptFn = async (env) => plaintext(env)) {
    const started = deferred();
    const slow = deferred();
    const decrypt: DecryptFn = async (env, local, stores) => {
      if (new TextDecoder().decode(env.content).includes('first')) {
        started.resolve();
        await slow.promise;
        return plaintext(env);
      }
      return decryptRest(env, local, stores);
    };
    return { decrypt, gate: { started: started.promise, release: slow.resolve } };
  }

  it('commits the envelopes that arrived during a commit in one transaction, and acknowledges them after it, in order', async () => {
    const { decrypt, gate } = slowFirst();
    const w = world({ decrypt });
    await burstBehindSlowFirst(w, gate, ['g2', 'g3', 'g4']);
    assert.deepEqual(w.transactions, [['g1'], ['g2', 'g3', 'g4']]);
    assert.deepEqual(w.events.slice(3), [
      'commit g2 message:g2',
      'commit g3 message:g3',
      'commit g4 message:g4',
      'ack g2',
      'afterCommit g2',
      'ack g3',
      'afterCommit g3',
      'ack g4',
      'afterCommit g4',
    ]);
  });

  it('caps a group at RECEIVE_GROUP_MAX envelopes', async () => {
    const { decrypt, gate } = slowFirst();
    const w = world({ decrypt });
    const later = Array.from({ length: RECEIVE_GROUP_MAX + 3 }, (_, i) => `b${i}`);
    await burstBehindSlowFirst(w, gate, later);
    assert.deepEqual(
      w.transactions.map((t) => t.length),
      [1, RECEIVE_GROUP_MAX, 3],
    );
    assert.deepEqual(w.transactions.flat(), ['g1', ...later]);
  });

  it('in a group, an envelope that does not decrypt undoes only its own writes and becomes its failure entry', async () => {
    const { decrypt, gate } = slowFirst(async (env) => {
      if (new TextDecoder().decode(env.content).includes('g3')) throw new Error('invalid MAC');
      return plaintext(env);
    });
    const w = world({ decrypt });
    await burstBehindSlowFirst(w, gate, ['g2', 'g3', 'g4']);
    assert.deepEqual(w.transactions, [['g1'], ['g2', 'g3', 'g4']]);
    assert.deepEqual(
      w.events.filter((e) => e.startsWith('commit') || e === 'discard'),
      ['commit g1 message:first', 'discard', 'commit g2 message:g2', 'commit g3 undecryptable', 'commit g4 message:g4'],
    );
    assert.equal(w.events.filter((e) => e.startsWith('ack')).length, 4);
  });

  it('a group whose commit fails for one envelope is redone one envelope per commit: only that one is left for redelivery', async () => {
    const { decrypt, gate } = slowFirst();
    const w = world({ decrypt });
    w.poison('g3');
    const acks = [w.enqueue('g1', envelope('g1', 'first'))];
    await gate.started;
    for (const guid of ['g2', 'g3', 'g4']) {
      if (guid === 'g3') w.receiver.enqueue(envelope(guid, guid), () => w.events.push('ack g3'));
      else acks.push(w.enqueue(guid, envelope(guid, guid)));
    }
    gate.release();
    await Promise.all(acks);
    await w.receiver.idle();
    assert.deepEqual(w.transactions, [['g1'], ['g2'], ['g4']]);
    assert.ok(!w.events.includes('ack g3'), 'the envelope whose commit failed is not acknowledged');
    assert.equal(w.logged.filter((l) => /left for redelivery: constraint failed for g3/.test(l)).length, 1, w.logged.join('\n'));
  });

  it('on a full disk holds a whole group unacknowledged and commits it once when space returns', async () => {
    const { decrypt, gate } = slowFirst();
    const w = world({ decrypt });
    const first = w.enqueue('g1', envelope('g1', 'first'));
    await gate.started;
    w.failCommits(() => new DiskFullError('/data/account.db', { cause: Object.assign(new Error('full'), { code: 'SQLITE_FULL' }) }));
    const later = ['g2', 'g3'].map((guid) => w.enqueue(guid, envelope(guid, guid)));
    gate.release();
    while (!w.logged.some((l) => /^receive: paused/.test(l))) await new Promise((r) => setImmediate(r));
    assert.equal(w.events.length, 0, 'nothing acked or committed while the disk is full');
    w.failCommits(null);
    w.receiver.retryNow();
    await Promise.all([first, ...later]);
    assert.deepEqual(w.transactions, [['g1'], ['g2', 'g3']]);
    assert.deepEqual(
      w.events.filter((e) => e.startsWith('ack')),
      ['ack g1', 'ack g2', 'ack g3'],
    );
    w.receiver.stop();
  });

  it('acknowledges a second copy of an envelope in the same group only after the first is committed', async () => {
    const { decrypt, gate } = slowFirst();
    const w = world({ decrypt });
    const acks = [w.enqueue('g1', envelope('g1', 'first'))];
    await gate.started;
    acks.push(w.enqueue('g2', envelope('g2', 'g2')), w.enqueue('g2', envelope('g2', 'g2')));
    gate.release();
    await Promise.all(acks);
    assert.deepEqual(w.transactions, [['g1'], ['g2']]);
    assert.deepEqual(w.events.slice(3), ['commit g2 message:g2', 'ack g2', 'afterCommit g2', 'ack g2', 'afterCommit -']);
  });
});
