import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordCache } from '../../src/store/recordCache.js';

test('the least recently used entry goes first; a cached null is a hit, a missing key is not', () => {
  const cache = new RecordCache<string | null>(2);
  cache.set('a', 'A');
  cache.set('b', null);
  assert.equal(cache.get('a'), 'A');
  cache.set('c', 'C');
  assert.equal(cache.get('b'), undefined, 'b was used least recently');
  assert.equal(cache.get('a'), 'A');
  assert.equal(cache.get('c'), 'C');
  cache.set('c', null);
  assert.equal(cache.get('c'), null);
  cache.delete('a');
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.size, 1);
});
