import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AttachmentBytes } from '../../src/messenger/api.js';
import { base64Slices, encodeAnswer } from '../../src/socket/answerEncoder.js';
import { VerbatimNumber } from '../../src/socket/verbatimNumber.js';

const joined = (pieces: ReturnType<typeof encodeAnswer>) =>
  pieces.map((p) => (typeof p === 'string' ? p : [...base64Slices(p, 3 * 5)].join(''))).join('');

test('an answer with attachment bytes reads as the same JSON line, written in pieces', () => {
  const big = randomBytes(1000);
  const small = Buffer.from('hi');
  const response = {
    command: 'receive_messages',
    statusCode: 0,
    messages: [
      // Text that looks like a placeholder stays text.
      { body: 'sigsock-attachment-deadbeefdeadbeef-0', attachments: [{ base64Data: new AttachmentBytes(big), filename: 'a' }, { base64Data: new AttachmentBytes(small) }] },
      { body: 'no attachments', attachments: [] },
    ],
  };
  const pieces = encodeAnswer(response);
  assert.equal(pieces.filter((p) => typeof p !== 'string').length, 2, 'the bytes are not in the text');
  const line = joined(pieces);
  assert.ok(line.endsWith('\n'));
  assert.deepEqual(JSON.parse(line), JSON.parse(JSON.stringify(response)));
  assert.equal(JSON.parse(line).messages[0].attachments[0].base64Data, big.toString('base64'));
});

test('an answer without bytes is one piece, as JSON.stringify writes it', () => {
  const response = { command: 'send_message', statusCode: 0, timestamp: 1 };
  assert.deepEqual(encodeAnswer(response), [JSON.stringify(response) + '\n']);
});

test('a VerbatimNumber is written as its text; everything else as JSON.stringify writes it', () => {
  for (const text of ['9007199254740993', '12345678901234567890', '1e400', '-0', '1.50', '7']) {
    const response = { command: 'list_groups', reqId: new VerbatimNumber(text), statusCode: 0, groups: [{ title: '"sigsock-attachment-0"' }] };
    assert.deepEqual(encodeAnswer(response), [`{"command":"list_groups","reqId":${text},"statusCode":0,"groups":[{"title":"\\"sigsock-attachment-0\\""}]}\n`]);
  }
});

test('a VerbatimNumber before and after attachment bytes', () => {
  const bytes = randomBytes(10);
  const response = {
    command: 'receive_messages',
    reqId: new VerbatimNumber('12345678901234567890'),
    statusCode: 0,
    messages: [{ attachments: [{ base64Data: new AttachmentBytes(bytes) }], n: new VerbatimNumber('1e400') }],
  };
  const pieces = encodeAnswer(response);
  assert.equal(pieces.length, 3, 'text, bytes, text');
  assert.equal(joined(pieces), `{"command":"receive_messages","reqId":12345678901234567890,"statusCode":0,"messages":[{"attachments":[{"base64Data":"${bytes.toString('base64')}"}],"n":1e400}]}\n`);
});
