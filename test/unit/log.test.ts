import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scrubLine } from '../../src/util/log.js';

describe('log scrubbing', () => {
  it('keeps phone numbers and account ids out of log lines', () => {
    const line = scrubLine('send to +4915123456789 (aci 11111111-2222-4333-8444-555555555555) failed');
    assert.equal(line, 'send to +49***89 (aci 11111111-…) failed');
  });
  it('keeps the number out of an account file name', () => {
    assert.equal(
      scrubLine('the database /home/bot/.local/share/sigsock/account-15005550101.db is damaged'),
      'the database /home/bot/.local/share/sigsock/account-15***01.db is damaged',
    );
  });
  it('leaves other numbers alone', () => {
    assert.equal(scrubLine('retrying in 250 ms, attempt 3'), 'retrying in 250 ms, attempt 3');
  });
});
