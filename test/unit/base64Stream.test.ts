import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Base64StreamDecoder } from '../../src/socket/base64Stream.js';
import { decodeBase64Strict } from '../../src/socket/validators.js';
import { Random, seedFrom } from '../support/random.js';

const SEED = seedFrom('SIGSOCK_BASE64_SEED', 0xb64, 'base64 stream cuts');

function decodeInPieces(text: string, cuts: number[]): Buffer | null {
  const decoder = new Base64StreamDecoder();
  let at = 0;
  for (const cut of [...cuts, text.length]) {
    decoder.write(text.slice(at, cut));
    at = cut;
  }
  const decoded = decoder.end().bytes;
  return decoded && Buffer.concat([...decoded.chunks()]);
}

test('decodes like decodeBase64Strict however the text is split', () => {
  const samples = [
    '',
    'QQ==',
    'QQ',
    'QUI=',
    'QUJD',
    'QUJDRA==',
    'QU JD\nRA==',
    '-_-_',
    'QUJD RA = =',
    'QQ=',
    'Q',
    'QUJDR',
    'QU=JD',
    'QUJD==',
    'QUJD===',
    'QUJ*',
    'QUJDé',
    randomBytes(1000).toString('base64'),
    randomBytes(1001).toString('base64url'),
    randomBytes(1002).toString('base64').replace(/.{76}/g, '$&\r\n'),
  ];
  const random = Random.seeded(SEED);
  for (const text of samples) {
    const expected = decodeBase64Strict(text);
    for (let trial = 0; trial < 20; trial++) {
      const cuts = Array.from({ length: trial % 5 }, () => random.int(text.length + 1)).sort((a, b) => a - b);
      const got = decodeInPieces(text, cuts);
      assert.deepEqual(got, expected, `seed ${SEED}: ${JSON.stringify(text.slice(0, 40))} cut at ${cuts}`);
    }
  }
});

test('an invalid value stays invalid and keeps nothing', () => {
  const decoder = new Base64StreamDecoder();
  decoder.write('QUJD');
  decoder.write('!!');
  decoder.write('QUJD');
  const result = decoder.end();
  assert.equal(result.bytes, null);
  assert.equal(JSON.stringify({ base64Data: result }), '{"base64Data":"<invalid base64>"}');
});
