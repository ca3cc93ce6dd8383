import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LenientJsonReader, type ReaderEvent } from '../../src/socket/jsonReader.js';
import { DecodedBase64 } from '../../src/socket/base64Stream.js';
import { VerbatimNumber } from '../../src/socket/verbatimNumber.js';

function readAll(input: string | Buffer, options = {}, chunkSize = Infinity): ReaderEvent[] {
  const reader = new LenientJsonReader(options);
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const events: ReaderEvent[] = [];
  const step = Number.isFinite(chunkSize) ? chunkSize : bytes.length || 1;
  for (let i = 0; i < bytes.length; i += step) events.push(...reader.push(bytes.subarray(i, i + step)));
  events.push(...reader.end());
  return events;
}

function values(events: ReaderEvent[]): unknown[] {
  return events.map((e) => (e.kind === 'value' ? e.value : { error: e.message }));
}

function errorCount(events: ReaderEvent[]): number {
  return events.filter((e) => e.kind === 'error').length;
}

test('reads standard JSON objects and arrays', () => {
  const text = '{"a": 1, "b": [true, false, null, -0.5e-3, 10E2], "c": {"d": ""}} [1, {"x": []}]';
  assert.deepEqual(values(readAll(text)), [{ a: 1, b: [true, false, null, -0.0005, 1000], c: { d: '' } }, [1, { x: [] }]]);
});

test("reads the seed's example {command:'receive_messages'}", () => {
  assert.deepEqual(values(readAll("{command:'receive_messages'}\n")), [{ command: 'receive_messages' }]);
});

test('accepts unquoted field names with letters, digits, _ and $', () => {
  assert.deepEqual(values(readAll('{ reqId: 1, $x_2: "y", _: 3, 9lives: 4 }')), [{ reqId: 1, $x_2: 'y', _: 3, '9lives': 4 }]);
});

test('accepts single-quoted strings, with \\\' and " inside', () => {
  assert.deepEqual(values(readAll(`{'k': 'it\\'s "quoted"', "d": "say \\'hi\\'"}`)), [{ k: `it's "quoted"`, d: "say 'hi'" }]);
});

test('accepts trailing commas in objects and arrays', () => {
  assert.deepEqual(values(readAll('{"a": [1, 2,], "b": {"c": 3,},}')), [{ a: [1, 2], b: { c: 3 } }]);
});

test('reads values back to back, with or without whitespace, and NDJSON', () => {
  const text = '{"n":1}{"n":2}[3]\n{"n":4}\r\n  {"n":5}\n\n';
  assert.deepEqual(values(readAll(text)), [{ n: 1 }, { n: 2 }, [3], { n: 4 }, { n: 5 }]);
});

test('gives the same result whatever the chunk boundaries, down to one byte', () => {
  const text = `{command:'send_message', "dataMessage": {"message": "h\\u00e9llo \\ud83d\\ude00 😀 ünï", list: [1.25e+2, -3, true,],}}[{}]`;
  const expected = values(readAll(text));
  assert.deepEqual(expected, [
    { command: 'send_message', dataMessage: { message: 'héllo 😀 😀 ünï', list: [125, -3, true] } },
    [{}],
  ]);
  for (const size of [1, 2, 3, 5, 7, 13]) assert.deepEqual(values(readAll(text, {}, size)), expected, `chunk size ${size}`);
});

test('a multibyte character split between chunks is decoded whole', () => {
  const bytes = Buffer.from('{"e":"€😀"}');
  const reader = new LenientJsonReader();
  // Split inside the 3-byte euro sign and again inside the 4-byte emoji.
  const parts = [bytes.subarray(0, 7), bytes.subarray(7, 9), bytes.subarray(9, 11), bytes.subarray(11)];
  const events = parts.flatMap((p) => reader.push(p));
  assert.deepEqual(values(events), [{ e: '€😀' }]);
});

test('decodes every standard escape, \\u escapes and surrogate pairs', () => {
  const text = String.raw`{"s": "\" \\ \/ \b \f \n \r \t \u0041 \u00E9 \ud83d\ude00"}`;
  assert.deepEqual(values(readAll(text, {}, 1)), [{ s: '" \\ / \b \f \n \r \t A é 😀' }]);
  // A lone surrogate stays a code unit, as JSON.parse keeps it.
  assert.deepEqual(values(readAll(String.raw`["\ud800"]`)), [JSON.parse(String.raw`["\ud800"]`)]);
});

test('a field named __proto__ is an own property, not the prototype', () => {
  const [value] = values(readAll('{"__proto__": {"polluted": true}}')) as Record<string, unknown>[];
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.deepEqual(Object.keys(value), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('a syntax error is reported once with its position, and reading resumes on the next line', () => {
  const events = readAll('{"a": 1 "b": 2, "c": 3}\n{"ok": true}\n');
  assert.equal(events.length, 2);
  assert.equal(events[0].kind, 'error');
  assert.match((events[0] as { message: string }).message, /line 1, column 9.*expected ',' or '}', found '"'/);
  assert.deepEqual(events[1], { kind: 'value', value: { ok: true } });
});

test('various syntax errors each produce one error and the next line still parses', () => {
  const cases: [string, RegExp][] = [
    ['{"a" 1}', /expected ':' after field name/],
    ['{"a": }', /expected a value, found '}'/],
    ['{,}', /expected a field name or '}'/],
    ['{"a": receive}', /unexpected word 'receive'/],
    ['{"a": 01}', /invalid number '01'/],
    ['{"a": 1.}', /invalid number/],
    ['{"a": "x\\q"}', /invalid escape/],
    ['{"a": "\\u12G4"}', /hex digit/],
    ['{"a": [1}', /expected ',' or '\]'/],
    ['{"a": "no closing quote', /inside a string/],
    ['}', /expected a JSON object or array/],
  ];
  for (const [bad, message] of cases) {
    for (const size of [Infinity, 1]) {
      const events = readAll(`${bad}\n{"next": 1}\n`, {}, size);
      assert.equal(errorCount(events), 1, bad);
      assert.match((events[0] as { message: string }).message, message, bad);
      assert.deepEqual(events[1], { kind: 'value', value: { next: 1 } }, bad);
    }
  }
});

test('input after an error on the same line is skipped, a later line is read', () => {
  const events = readAll('{"a": x} {"lost": 1}\n{"kept": 1}');
  assert.deepEqual(
    events.map((e) => e.kind),
    ['error', 'value'],
  );
  assert.deepEqual(events[1], { kind: 'value', value: { kept: 1 } });
});

test('a top-level scalar is an error: an object or array is expected', () => {
  for (const scalar of ['42', '"x"', 'true', 'null', "'x'"]) {
    const events = readAll(`${scalar}\n{"ok": 1}`);
    assert.equal(events[0].kind, 'error', scalar);
    assert.match((events[0] as { message: string }).message, /expected a JSON object or array/);
    assert.deepEqual(events[1], { kind: 'value', value: { ok: 1 } });
  }
});

test('end() reports a value cut off by the end of input', () => {
  for (const partial of ['{"a": 1', '{"a": "text', '[1, 2', '{a', '{"a": tr', '{"a": 12']) {
    const events = readAll(partial);
    assert.equal(events.length, 1, partial);
    assert.match((events[0] as { message: string }).message, /unexpected end of input/);
  }
  assert.deepEqual(readAll(''), []);
  assert.deepEqual(readAll('  \n'), []);
});

test('a value over the size limit is reported once and discarded, the next value is read', () => {
  const big = `{"data": "${'A'.repeat(500)}", "nested": {"s": "with } and ] and \\" inside"}, "list": [[1], [2]]}`;
  const input = `${big}{"after": 1}\n{"line": 2}`;
  for (const size of [Infinity, 64, 7, 1]) {
    const events = readAll(input, { maxValueBytes: 100 }, size);
    assert.equal(events.length, 3, `chunk size ${size}`);
    assert.match((events[0] as { message: string }).message, /command exceeds 100 bytes/);
    assert.deepEqual(events[1], { kind: 'value', value: { after: 1 } });
    assert.deepEqual(events[2], { kind: 'value', value: { line: 2 } });
  }
});

test('a value exactly at the size limit is accepted', () => {
  const value = '{"a":"xxxx"}';
  assert.deepEqual(values(readAll(value, { maxValueBytes: value.length })), [{ a: 'xxxx' }]);
  assert.equal(errorCount(readAll(value, { maxValueBytes: value.length - 1 })), 1);
});

test('discarding an oversized value does not keep its bytes', () => {
  const reader = new LenientJsonReader({ maxValueBytes: 1024 });
  const events: ReaderEvent[] = [...reader.push(Buffer.from('{"data": "'))];
  const chunk = Buffer.alloc(64 * 1024, 'A');
  for (let i = 0; i < 160; i++) events.push(...reader.push(chunk)); // 10 MiB
  events.push(...reader.push(Buffer.from('"}{"ok": 1}')));
  assert.equal(errorCount(events), 1);
  assert.deepEqual(events.at(-1), { kind: 'value', value: { ok: 1 } });
  // The reader holds no reference to the discarded text.
  assert.ok(JSON.stringify(Object.entries(reader)).length < 10_000);
});

test('an unterminated string in a discarded value ends at the line break', () => {
  const events = readAll(`{"data": "${'A'.repeat(200)}\n{"ok": 1}`, { maxValueBytes: 100 }, 50);
  assert.equal(errorCount(events), 1);
  assert.deepEqual(events.at(-1), { kind: 'value', value: { ok: 1 } });
});

test('nesting deeper than the limit is an error, and reading resumes on the next line', () => {
  for (const size of [Infinity, 1, 3]) {
    const events = readAll('[[[[[1]]]]]{"lost": 1}\n{"ok": 1}', { maxDepth: 3 }, size);
    assert.equal(events.length, 2, `chunk size ${size}`);
    assert.match((events[0] as { message: string }).message, /line 1, column 4 \(byte 3\): nesting deeper than 3 levels/);
    assert.deepEqual(events[1], { kind: 'value', value: { ok: 1 } });
  }
  assert.deepEqual(values(readAll('[[[1]]]', { maxDepth: 3 })), [[[[1]]]]);
  // The default limit protects against a stack of brackets.
  assert.equal(errorCount(readAll('['.repeat(100_000))), 1);
});

test('brackets that never balance after a nesting error do not swallow the next lines', () => {
  // 1001 opening brackets, never closed: the next line is a command of its own.
  const events = readAll(`${'['.repeat(1001)}\n{"command": "list_groups"}\n`, {}, 64);
  assert.equal(events.length, 2);
  assert.match((events[0] as { message: string }).message, /nesting deeper than 1000 levels/);
  assert.deepEqual(events[1], { kind: 'value', value: { command: 'list_groups' } });
});

test('a value with more values inside than the limit is reported once and discarded, the next one is read', () => {
  // An array with three objects is four values; a field name is not a value of its own.
  const fits = '[{}, {"a": 1}, {}]';
  assert.deepEqual(values(readAll(fits, { maxValues: 5 })), [[{}, { a: 1 }, {}]]);
  const input = `${fits}{"after": [1, "x"]}\n{"line": 2}`;
  for (const size of [Infinity, 5, 1]) {
    const events = readAll(input, { maxValues: 4 }, size);
    assert.equal(events.length, 3, `chunk size ${size}`);
    assert.equal(events[0].kind, 'error');
    assert.equal(
      (events[0] as { message: string }).message,
      'invalid JSON at line 1, column 16 (byte 15): more than 4 values in one command or batch; it was discarded (send a large batch in parts)',
    );
    assert.deepEqual(events[1], { kind: 'value', value: { after: [1, 'x'] } });
    assert.deepEqual(events[2], { kind: 'value', value: { line: 2 } });
  }
  // Strings, numbers and words count like objects, at any depth; every top-level value starts afresh.
  assert.deepEqual(values(readAll('{"a": ["s", 1, true]}{"b": {"c": null}}', { maxValues: 5 })), [{ a: ['s', 1, true] }, { b: { c: null } }]);
  assert.equal(errorCount(readAll('{"a": ["s", 1, true, null]}', { maxValues: 5 })), 1);
  // Strings inside the discarded rest, with brackets in them, do not confuse where it ends.
  assert.deepEqual(values(readAll(`[1, 2, "]", {"k": "}"}, [']']]{"ok": 1}`, { maxValues: 2 })).slice(1), [{ ok: 1 }]);
});

test('a 9 MB batch of empty objects is stopped where the value limit is crossed, before the rest is built', () => {
  const reader = new LenientJsonReader();
  // 3 bytes and one value per element: 140 chunks are 9 MiB, some three million values.
  const perChunk = 21_845;
  const chunk = Buffer.from('{},'.repeat(perChunk));
  assert.deepEqual(reader.push(Buffer.from('[')), []);
  let chunksUntilError = 0;
  const events: ReaderEvent[] = [];
  for (let i = 0; i < 140; i++) {
    const got = reader.push(chunk);
    if (events.length === 0 && got.length > 0) chunksUntilError = i + 1;
    events.push(...got);
  }
  events.push(...reader.push(Buffer.from('{}]\n{"command": "list_groups"}\n')));
  assert.equal(events.length, 2);
  assert.match((events[0] as { message: string }).message, /more than 100000 values in one command or batch/);
  assert.deepEqual(events[1], { kind: 'value', value: { command: 'list_groups' } });
  // The error came with the chunk holding value 100,001 (the batch array is the first value),
  // while the batch was still open: nothing past the limit was ever built.
  assert.equal(chunksUntilError, Math.ceil(100_000 / perChunk));
  assert.ok(JSON.stringify(Object.entries(reader)).length < 10_000);
});

test('a large value arriving in 64 KiB chunks is read in one pass', () => {
  const data = 'QUJD'.repeat(4 * 1024 * 1024); // 16 MiB of base64
  const bytes = Buffer.from(`{"command":"send_message","dataMessage":{"attachments":[{"base64Data":"${data}"}]}}\n`);
  const events = readAll(bytes, {}, 64 * 1024);
  assert.equal(events.length, 1);
  const value = (events[0] as { value: { dataMessage: { attachments: { base64Data: string }[] } } }).value;
  assert.equal(value.dataMessage.attachments[0].base64Data.length, data.length);
});

test('base64Paths: values there are decoded as they stream in, in any split; elsewhere they stay text', () => {
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
  const b64 = bytes.toString('base64');
  const escaped = b64.replace(/\//g, '\\/'); // some encoders (PHP) escape '/'
  const text = `{command:'send_message', dataMessage:{attachments:[{base64Data:"${escaped}", filename:'a/b.bin'}, {'base64Data':'QU\\u004aD'}, {base64Data:'*'}]}, note:'base64Data', reqId:{base64Data:'QUJD'}, attachments:{base64Data:'QUJD'}}`;
  for (const chunkSize of [Infinity, 1, 7, 64]) {
    const [value] = values(readAll(text, { base64Paths: [['attachments', '[]', 'base64Data']] }, chunkSize)) as {
      dataMessage: { attachments: { base64Data: DecodedBase64; filename?: string }[] };
      note: string;
      reqId: unknown;
      attachments: unknown;
    }[];
    const [first, second, third] = value.dataMessage.attachments;
    assert.ok(first.base64Data instanceof DecodedBase64);
    // The decoded pieces are kept as they came (not joined into one buffer): joined here.
    const joined = (decoded: DecodedBase64) => decoded.bytes && Buffer.concat([...decoded.bytes.chunks()]);
    assert.deepEqual(joined(first.base64Data), bytes, `chunk size ${chunkSize}`);
    assert.equal(first.filename, 'a/b.bin');
    assert.deepEqual(joined(second.base64Data), Buffer.from('ABC'));
    assert.equal(third.base64Data.bytes, null, 'not base64: invalid, and the reading goes on');
    assert.equal(value.note, 'base64Data');
    assert.deepEqual(value.reqId, { base64Data: 'QUJD' }, 'a reqId is echoed verbatim, so it stays text');
    assert.deepEqual(value.attachments, { base64Data: 'QUJD' }, 'not an element of an attachments array');
  }
});

test('verbatimNumberFields: a command\'s numeric reqId keeps its text, in any split; other numbers stay numbers', () => {
  const text = `{reqId: 9007199254740993, n: 9007199254740993}[{"reqId": 12345678901234567890}, {reqId: 1e400}, {reqId: -0.50}, [{reqId: 1}]]{x: {reqId: 2}, reqId: 'text'}`;
  const expected = [
    { reqId: new VerbatimNumber('9007199254740993'), n: 9007199254740992 },
    [{ reqId: new VerbatimNumber('12345678901234567890') }, { reqId: new VerbatimNumber('1e400') }, { reqId: new VerbatimNumber('-0.50') }, [{ reqId: 1 }]],
    { x: { reqId: 2 }, reqId: 'text' },
  ];
  for (const size of [Infinity, 1, 4]) assert.deepEqual(values(readAll(text, { verbatimNumberFields: ['reqId'] }, size)), expected, `chunk size ${size}`);
  assert.deepEqual(values(readAll('{reqId: 1e400}')), [{ reqId: Infinity }], 'only where asked for');
  const reqId = new VerbatimNumber('12345678901234567890');
  assert.equal(reqId.value, 1.2345678901234567e19);
  assert.equal(JSON.stringify({ reqId }), '{"reqId":12345678901234567000}', 'plain JSON.stringify gets the nearest number');
});
