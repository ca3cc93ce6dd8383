// Seeded fuzzing of the socket layer: generated and mutated inputs go through the lenient JSON
// reader (split into random chunks) and every value it yields through runCommand. Whatever comes
// in, nothing throws or hangs, and every answer is one line of strict JSON with a documented
// status code. A failure prints the seed and case number, so it can be replayed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Duplex } from 'node:stream';
import { isDeepStrictEqual } from 'node:util';
import type { InboxEntry } from '../../src/messenger/api.js';
import { MessengerError, type MessengerErrorKind } from '../../src/messenger/errors.js';
import { AuthGate, tokenCheck } from '../../src/socket/auth.js';
import { errorResponse, runCommand, type CommandContext } from '../../src/socket/commands.js';
import { base64Slices, encodeAnswer } from '../../src/socket/answerEncoder.js';
import { Connection } from '../../src/socket/connection.js';
import { LenientJsonReader, type ReaderEvent } from '../../src/socket/jsonReader.js';
import { resolveLimits } from '../../src/socket/limits.js';
import { VerbatimNumber } from '../../src/socket/verbatimNumber.js';
import { contentOf, FakeEngine, fakeLease, PLAIN_MESSAGE } from '../support/fakeEngine.js';
import { prng, Random } from '../support/random.js';

const SEED = Number(process.env.SIGSOCK_FUZZ_SEED ?? 0x5eed5);

// ---------------------------------------------------------------- an engine that answers at once

const ERROR_KINDS: MessengerErrorKind[] = [
  'INVALID_NUMBER',
  'INVALID_ATTACHMENT',
  'INVALID_RECIPIENT',
  'GROUP_NOT_FOUND',
  'NOT_A_GROUP_MEMBER',
  'MISSING_MESSAGE_CONTENT',
  'MISSING_REACTION',
  'UNTRUSTED_IDENTITY',
  'NETWORK',
  'UNKNOWN',
];

const ODD_ENTRIES: InboxEntry[] = [
  {
    kind: 'message',
    ...PLAIN_MESSAGE,
    sender: { aci: 'a1b2c3d4-0000-4000-8000-00000000abcd', e164: null },
    timestamp: 1,
    groupId: null,
    body: 'lone surrogate \ud800 and \u2028',
    attachments: [{ content: contentOf(Buffer.from('ABC')), filename: 'a"b\\c', contentType: 'x/y', size: 3, error: null }],
    reaction: null,
  },
  { kind: 'failure', failure: 'unparseable', senderServiceId: null, reason: 'bad content' },
];

/** The fake engine, never waiting, sometimes failing in every way the real one can, handing out odd inbox entries. */
function instantEngine(random: Random): FakeEngine {
  const engine = new FakeEngine();
  engine.onTake = async () => fakeLease(ODD_ENTRIES.slice(0, random.int(3)));
  engine.outcome = async (value) => {
    const roll = random.int(20);
    if (roll === 0) throw new MessengerError(random.pick(ERROR_KINDS), 'simulated failure');
    if (roll === 1) throw new Error('simulated crash');
    if (roll === 2) throw 'a thrown string';
    return value;
  };
  return engine;
}

// ---------------------------------------------------------------- inputs

const VALID_COMMANDS = [
  `{command:'receive_messages'}`,
  `{"command":"receive_messages","reqId":"r1","timeout":0,"ignoreAttachments":true}`,
  `{"command":"send_message","reqId":1,"recipient":"+4915112345678","dataMessage":{"message":"hi 😀","attachments":[{"base64Data":"QUJD","filename":"a.txt"}]}}`,
  `{command:'send_message', groupId:'${Buffer.alloc(32, 7).toString('base64')}', dataMessage:{message:'it\\'s'},}`,
  `{"command":"send_reaction","recipient":"A1B2C3D4-0000-4000-8000-00000000ABCD","reaction":{"emoji":"👍","author":"+4915112345678","remove":false,"timestamp":1234567}}`,
  `[{"command":"list_groups"},{command:'trust',recipient:'+4915112345678',verified:true},]`,
  `{"command":"send_message","recipient":"+4915112345678","dataMessage":{"message":"\\u00e9\\ud83d\\ude00\\n\\t\\"\\\\"}}`,
  `{"command":"auth","token":"secret"}`,
  `{"command":"unknown","reqId":{"nested":[1,2,{"x":null}]},"__proto__":{"polluted":true}}`,
  `[{"command":"list_groups","reqId":12345678901234567890},{reqId:-1.50e+3}]`,
];

const INSERTIONS = [
  '"', "'", '{', '}', '[', ']', ',', ':', '\\', '\\u', '\\ud83d', '\\udc00', '😀', 'é', '\u2028', '\0', '\n', '\r\n', ' ',
  '1e999', '-1e999', '-0', '9'.repeat(400), '0.0000000000000000000001e-400', '1.', '.5', '01', '+1', 'NaN', 'Infinity',
  'null', 'true', 'fals', '__proto__', 'constructor', '"__proto__":', '{"a":', '[[[[[[[[', ']]]]]]]]', '"timeout":-1',
  '"command":', '"reqId":', '"auth":"secret",',
];

const FIELD_VALUES: (() => unknown)[] = [
  () => null,
  () => true,
  () => 0,
  () => -1,
  () => 1e308,
  () => 2 ** 53 + 1,
  () => 1.5,
  () => '',
  () => '+4915112345678',
  () => '+0123',
  () => 'A1B2C3D4-0000-4000-8000-00000000ABCD',
  () => Buffer.alloc(32, 1).toString('base64'),
  () => '!!notbase64',
  () => 'QUJD',
  () => '😀',
  () => [],
  () => ({}),
  () => ({ message: 'x' }),
  () => ({ attachments: [{ base64Data: 'QUJD' }, { base64Data: '=' }] }),
  () => ({ emoji: '👍', author: '+4915112345678', timestamp: 5 }),
];

const COMMAND_NAMES = ['send_message', 'send_reaction', 'receive_messages', 'list_groups', 'trust', 'auth', 'nope', '', 'constructor', 'toString', '__proto__'];
const FIELD_NAMES = ['recipient', 'groupId', 'dataMessage', 'reaction', 'timeout', 'ignoreAttachments', 'reqId', 'verified', 'token', 'auth', 'message', 'attachments'];

/** A request object with the fields commands look at, filled with plausible and implausible values. */
function generatedRequest(random: Random): string {
  const request: Record<string, unknown> = {};
  if (random.chance(0.9)) request.command = random.pick(COMMAND_NAMES);
  const fields = random.int(5);
  for (let i = 0; i < fields; i++) request[random.pick(FIELD_NAMES)] = random.pick(FIELD_VALUES)();
  const text = JSON.stringify(request);
  // Sometimes in the lenient forms the reader also accepts.
  return random.chance(0.3) ? text.replace(/"([A-Za-z_$][\w$]*)":/g, '$1:').replace(/"/g, "'") : text;
}

function mutate(random: Random, input: Buffer): Buffer {
  let bytes = Buffer.from(input);
  const steps = 1 + random.int(4);
  for (let s = 0; s < steps; s++) {
    const at = random.int(bytes.length + 1);
    switch (random.int(7)) {
      case 0: // flip a bit
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] ^= 1 << random.int(8);
        break;
      case 1: // truncate
        bytes = bytes.subarray(0, at);
        break;
      case 2: // insert a troublesome token
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(random.pick(INSERTIONS)), bytes.subarray(at)]);
        break;
      case 3: // delete a range
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + random.int(8))]);
        break;
      case 4: // duplicate a range
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at, at + random.int(16)), bytes.subarray(at)]);
        break;
      case 5: // a random byte, possibly invalid UTF-8
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.of(random.int(256)), bytes.subarray(at)]);
        break;
      default: // splice in another command
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(random.pick(VALID_COMMANDS)), bytes.subarray(at)]);
    }
  }
  return bytes;
}

function nextInput(random: Random): Buffer {
  const roll = random.int(10);
  if (roll < 6) return mutate(random, Buffer.from(random.pick(VALID_COMMANDS)));
  if (roll < 9) return Buffer.from(generatedRequest(random) + (random.chance(0.5) ? '\n' : ''));
  return mutate(random, Buffer.from(generatedRequest(random)));
}

// ---------------------------------------------------------------- checks

function readInChunks(reader: LenientJsonReader, input: Buffer, random: Random | undefined): ReaderEvent[] {
  const events: ReaderEvent[] = [];
  let at = 0;
  while (at < input.length) {
    const size = random ? 1 + random.int(random.chance(0.2) ? 4 : 64) : input.length;
    events.push(...reader.push(input.subarray(at, at + size)));
    at += size;
  }
  events.push(...reader.end());
  return events;
}

function checkEvents(events: ReaderEvent[], where: string): void {
  for (const event of events) {
    if (event.kind === 'error') {
      assert.equal(typeof event.message, 'string', where);
      assert.ok(event.message.length > 0, where);
    } else {
      assert.equal(event.kind, 'value', where);
      assert.ok(typeof event.value === 'object' && event.value !== null, `${where}: top-level ${typeof event.value}`);
    }
  }
}

/** One answer: it must encode to one line of strict JSON with a documented status code. */
function checkResponse(response: Record<string, unknown>, where: string): void {
  const pieces = encodeAnswer(response);
  const line = pieces.map((p) => (typeof p === 'string' ? p : [...base64Slices(p)].join(''))).join('').slice(0, -1);
  assert.ok(!line.includes('\n'), where);
  // A numeric reqId comes back with the digits as sent.
  if (response.reqId instanceof VerbatimNumber) assert.ok(line.includes(`"reqId":${response.reqId.text},`), `${where}: ${line}`);
  const parsed = JSON.parse(line) as Record<string, unknown>;
  const code = parsed.statusCode;
  assert.ok(typeof code === 'number' && Number.isInteger(code) && code >= -1 && code <= 11, `${where}: statusCode ${String(code)}`);
  assert.ok(parsed.command === null || typeof parsed.command === 'string', `${where}: command ${JSON.stringify(parsed.command)}`);
  if (code !== 0) assert.ok(typeof parsed.errorMessage === 'string' && parsed.errorMessage.length > 0, `${where}: no errorMessage in ${line}`);
}

// ---------------------------------------------------------------- the fuzz runs

const CASES = 100_000;

test(`fuzz: ${CASES} generated and mutated inputs through the reader and runCommand (seed ${SEED})`, { timeout: 60_000 }, async () => {
  const random = new Random(prng(SEED));
  const ctx: CommandContext = { messenger: instantEngine(random), limits: resolveLimits() };
  const gate = () => new AuthGate(tokenCheck('secret'), 3);
  let values = 0;
  let errors = 0;
  for (let n = 0; n < CASES; n++) {
    const input = nextInput(random);
    const where = `seed ${SEED} case ${n}: ${JSON.stringify(input.toString('latin1').slice(0, 200))}`;
    const whole = readInChunks(new LenientJsonReader({ verbatimNumberFields: ['reqId'] }), input, undefined);
    const split = readInChunks(new LenientJsonReader({ verbatimNumberFields: ['reqId'] }), input, random);
    checkEvents(whole, where);
    // Where the chunks fall never changes what is read.
    assert.ok(isDeepStrictEqual(split, whole), `${where}: chunking changed the result`);

    const authGate = gate();
    for (const event of whole) {
      if (event.kind === 'error') {
        errors++;
        checkResponse(errorResponse(null, 4, event.message), where);
        continue;
      }
      const requests = Array.isArray(event.value) ? event.value : [event.value];
      for (const request of requests) {
        values++;
        const { response } = await runCommand(request, ctx);
        checkResponse(response, where);
        const admission = authGate.admit(request);
        if (admission.kind === 'answer') checkResponse(admission.response, where);
      }
    }
  }
  // The mix must exercise both sides, or the fuzzer tests less than it claims.
  assert.ok(values > CASES / 4, `only ${values} values`);
  assert.ok(errors > CASES / 4, `only ${errors} errors`);
});

test('fuzz: with tiny size, depth and value-count limits the reader never throws and recovers', { timeout: 30_000 }, () => {
  const random = new Random(prng(SEED ^ 0xabcdef));
  for (let n = 0; n < 20_000; n++) {
    const reader = new LenientJsonReader({ maxValueBytes: 16 + random.int(80), maxDepth: 1 + random.int(4), maxValues: 2 + random.int(8) });
    const input = Buffer.concat([nextInput(random), nextInput(random), Buffer.from('\n')]);
    const where = `seed ${SEED} small-limit case ${n}`;
    checkEvents(readInChunks(reader, input, random), where);
    // Whatever state the input left it in, after the end of a stream the reader reads afresh.
    const after = readInChunks(reader, Buffer.from('\n{"ok":1}\n'), undefined);
    assert.ok(after.some((e) => e.kind === 'value' && isDeepStrictEqual(e.value, { ok: 1 })), `${where}: did not recover: ${JSON.stringify(after)}`);
  }
});

/** The client side of a Connection in memory: what the test pushes is read, what is written is kept. */
class MemorySocket extends Duplex {
  output = '';
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.output += chunk.toString();
    callback();
  }
  override _final(callback: () => void): void {
    callback();
    // The server ended its side: the stream is done, as a TCP socket closes once both sides ended.
    this.destroy();
  }
}

test('fuzz: without the token, no input of any shape reaches the messenger, and strangers are cut off', { timeout: 60_000 }, async () => {
  const random = new Random(prng(SEED ^ 0x1234));
  const messenger = instantEngine(random);
  const limits = resolveLimits({ idleTimeoutMs: 0 });
  for (let n = 0; n < 3000; n++) {
    const socket = new MemorySocket();
    const connection = new Connection(socket, { messenger, limits, checkToken: tokenCheck('the-real-token-is-not-in-the-corpus') });
    const inputs = Array.from({ length: 1 + random.int(6) }, () => nextInput(random));
    for (const input of inputs) socket.push(Buffer.concat([input, Buffer.from('\n')]));
    socket.push(null);
    await connection.done;
    const lines = socket.output.split('\n').filter((line) => line !== '');
    const where = `seed ${SEED} connection ${n}`;
    assert.ok(lines.length <= limits.maxAuthFailures, `${where}: ${lines.length} answers before being cut off`);
    for (const line of lines) checkResponse(JSON.parse(line) as Record<string, unknown>, where);
  }
  assert.equal(messenger.calls, 0);
});

// ---------------------------------------------------------------- endless input

function* repeated(chunk: Buffer, totalBytes: number): Generator<Buffer> {
  for (let sent = 0; sent < totalBytes; sent += chunk.length) yield chunk;
}

/** Feeds a prefix and then `totalBytes` of one repeated chunk; the same buffer is reused, so nothing but the reader can grow. */
function feedEndless(reader: LenientJsonReader, prefix: string, fill: string, totalBytes: number): { events: ReaderEvent[]; heapGrowth: number } {
  const events: ReaderEvent[] = [];
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  events.push(...reader.push(Buffer.from(prefix)));
  let i = 0;
  for (const chunk of repeated(Buffer.alloc(64 * 1024, fill), totalBytes)) {
    events.push(...reader.push(chunk));
    if (++i % 256 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  return { events, heapGrowth: Math.max(peak, process.memoryUsage().heapUsed) - heapBefore };
}

const MiB = 1024 * 1024;

test('a 1 GiB line is never buffered: one size error, bounded memory, and the reader recovers', { timeout: 60_000 }, () => {
  const reader = new LenientJsonReader({ maxValueBytes: MiB });
  const { events, heapGrowth } = feedEndless(reader, '{"command":"send_message","dataMessage":{"message":"', 'a', 1024 * MiB);
  assert.deepEqual(events, [{ kind: 'error', message: `invalid JSON: command exceeds ${MiB} bytes and was discarded` }]);
  assert.ok(heapGrowth < 32 * MiB, `heap grew by ${heapGrowth} bytes while reading 1 GiB`);
  const after = reader.push(Buffer.from(`"}}\n{command:'list_groups'}\n`));
  assert.deepEqual(after, [{ kind: 'value', value: { command: 'list_groups' } }]);
});

for (const [what, prefix, fill] of [
  ['a never-ending string in single quotes', "{command:'send_message', x:'", 'b'],
  ['a never-ending number', '{"timeout":1', '7'],
  ['a never-ending unquoted field name', '{', 'k'],
  ['never-ending nesting', '[', '['],
  ['a never-ending line after a syntax error', '{"a" oops', 'z'],
] as const) {
  test(`${what} is not buffered either`, { timeout: 30_000 }, () => {
    const reader = new LenientJsonReader({ maxValueBytes: MiB, maxDepth: 100 });
    const { events, heapGrowth } = feedEndless(reader, prefix, fill, 64 * MiB);
    assert.equal(events.length, 1, JSON.stringify(events));
    assert.equal(events[0].kind, 'error');
    assert.ok(heapGrowth < 32 * MiB, `heap grew by ${heapGrowth} bytes while reading 64 MiB`);
  });
}

test('endless whitespace between values costs nothing and produces nothing', () => {
  const reader = new LenientJsonReader({ maxValueBytes: MiB });
  const { events, heapGrowth } = feedEndless(reader, '', ' ', 64 * MiB);
  assert.deepEqual(events, []);
  assert.ok(heapGrowth < 32 * MiB);
});
