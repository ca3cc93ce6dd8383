// Numeric JSON-RPC ids come back with the digits the client wrote, also past 2^53 where a
// JavaScript number would round them; in single requests and batches, whatever else the line holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeResponses, failure, parseLine, success, type RpcResponse } from '../../src/jsonrpc/protocol.js';

function echo(line: string): string {
  const parsed = parseLine(line);
  const responses: RpcResponse[] = parsed.items.map((item) => (item.kind === 'request' ? success(item.request.id, { ok: true }) : item.response));
  return encodeResponses(responses, parsed.batch);
}

test('an id beyond 2^53 is echoed with its exact digits', () => {
  assert.equal(echo('{"jsonrpc":"2.0","method":"version","id":12345678901234567890}'), '{"jsonrpc":"2.0","result":{"ok":true},"id":12345678901234567890}\n');
  assert.equal(echo('{"id": 9007199254740993 ,"jsonrpc":"2.0","method":"version"}'), '{"jsonrpc":"2.0","result":{"ok":true},"id":9007199254740993}\n');
  assert.equal(echo('{"jsonrpc":"2.0","method":"version","id":-1.50e3}'), '{"jsonrpc":"2.0","result":{"ok":true},"id":-1.50e3}\n');
});

test('in a batch, each element keeps its own id text; nested and quoted "id"s are not taken for it', () => {
  const line =
    '[{"jsonrpc":"2.0","method":"send","params":{"id":1,"message":"\\"id\\":7, {[" },"id":18446744073709551615},' +
    ' 5, {"jsonrpc":"2.0","method":"version","id":"s"}, {"jsonrpc":"2.0","method":"version","params":[{"id":2}],"id":9007199254740995}]';
  const out = JSON.parse(echo(line).replace(/"id":(\d{16,})/g, '"id":"$1"'));
  assert.deepEqual(out.map((r: any) => r.id), ['18446744073709551615', null, 's', '9007199254740995']);
});

test('a wrong request keeps its big id too', () => {
  assert.equal(echo('{"jsonrpc":"1.0","method":"x","id":123456789012345678901234}'), JSON.stringify(failure(null, { code: -32600, message: 'only jsonrpc version 2.0 is supported' })).replace('"id":null', '"id":123456789012345678901234') + '\n');
});
