import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { AttachmentBytes } from '../../src/messenger/api.js';
import { base64Slices, encodeAnswer } from '../../src/socket/answerEncoder.js';

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
