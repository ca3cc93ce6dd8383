// Issue 19 item 2 at the reader: after a syntax error found at a line that begins a new object or
// array, that line is read as the next value, however the input is split into chunks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LenientJsonReader, type ReaderEvent } from '../../src/socket/jsonReader.js';

function readSplit(text: string, size: number): ReaderEvent[] {
  const reader = new LenientJsonReader();
  const bytes = Buffer.from(text);
  const events: ReaderEvent[] = [];
  for (let i = 0; i < bytes.length; i += size) events.push(...reader.push(bytes.subarray(i, i + size)));
  return events;
}

describe('LenientJsonReader resynchronisation', () => {
  for (const size of [1, 3, 7, 1000]) {
    it(`an unfinished value does not swallow the next line (chunks of ${size})`, () => {
      const events = readSplit('{"a":1,"reqId":"x1",\n  {"b":2}\n{"c":3\n[4]\n', size);
      assert.deepEqual(events, [
        { kind: 'error', reqId: 'x1', message: "invalid JSON at line 2, column 3 (byte 23): expected a field name or '}', found '{'" },
        { kind: 'value', value: { b: 2 } },
        { kind: 'error', message: "invalid JSON at line 2, column 1 (byte 7): expected ',' or '}', found '['" },
        { kind: 'value', value: [4] },
      ]);
    });

    it(`a '{' in the middle of a line is an error that skips the rest of the line, as before (chunks of ${size})`, () => {
      const events = readSplit('{"a":1 {"b":2}\n{"c":3}\n', size);
      assert.deepEqual(events, [
        { kind: 'error', message: "invalid JSON at line 1, column 8 (byte 7): expected ',' or '}', found '{'" },
        { kind: 'value', value: { c: 3 } },
      ]);
    });
  }

  it('positions count from the start of the request, across lines and earlier requests', () => {
    const events = readSplit('{"a":1}\n\n{"b":\n  2 x}\n', 5);
    assert.deepEqual(events[1], { kind: 'error', message: "invalid JSON at line 2, column 5 (byte 10): expected ',' or '}', found 'x'" });
    const garbage = readSplit('{"a":1}\n  hello\n', 4);
    assert.deepEqual(garbage[1], { kind: 'error', message: "invalid JSON at line 1, column 1 (byte 0): expected a JSON object or array, found 'h'" });
  });
});
