// Issue 14 point 3: waiting for a group is told by the receive commit, not a poll of the store.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupArrivals } from '../../src/messenger/groupArrivals.js';

test('a group already in the store is known at once, without waiting', async () => {
  const arrivals = new GroupArrivals((id) => id === 'known');
  assert.equal(await arrivals.when('known', 60_000), true);
});

test('a wait ends when the group arrives, with no store lookup after the first', async () => {
  let lookups = 0;
  const arrivals = new GroupArrivals(() => {
    lookups++;
    return false;
  });
  const first = arrivals.when('g', 60_000);
  const second = arrivals.when('g', 60_000);
  const other = arrivals.when('other', 50);
  arrivals.arrived('g');
  assert.deepEqual(await Promise.all([first, second]), [true, true]);
  assert.equal(lookups, 3, 'one lookup per wait, none while waiting');
  assert.equal(await other, false, 'another group is still not known once its timeout passed');
});

test('a wait gives up after its timeout, and when the account stops', async () => {
  const arrivals = new GroupArrivals(() => false);
  assert.equal(await arrivals.when('g', 10), false);
  const pending = arrivals.when('g', 60_000);
  arrivals.stop();
  assert.equal(await pending, false);
  arrivals.arrived('g'); // nothing waits any more: no throw
});
