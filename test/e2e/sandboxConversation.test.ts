// Issue 15, sending: account A (one sigsock daemon, then its CLI) quotes, mentions, styles, edits,
// deletes, types and sends read/viewed receipts to account B on one sandbox network; B's socket
// client sees each as its entry, naming the right target timestamps; B's daemon answers A's message
// with a delivery receipt once it stored it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { entryFrom, send, twoSandboxAccounts, type TwoAccounts } from '../support/sandboxAccounts.js';
import { client, type LineClient } from '../support/lineClient.js';

describe('what one sigsock account sends to another: quotes, mentions, styles, edits, deletes, typing, receipts', () => {
  let accounts: TwoAccounts;
  const alice = { number: '+15005553001', aci: '' };
  const bob = { number: '+15005553002', aci: '' };
  const daemonFor = (number: string) => accounts.daemonFor(number);
  const aliceCli = async (...args: string[]): Promise<string> => {
    const run = await accounts.run(alice.number, args);
    assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
    return run.stdout.trim();
  };

  before(async () => {
    accounts = await twoSandboxAccounts([alice.number, bob.number], 'conversation');
    alice.aci = accounts.alice.aci;
    bob.aci = accounts.bob.aci;
  });
  after(() => accounts?.close());

  it('through the socket and then the CLI, B sees each with its target timestamps', async () => {
    const aliceDaemon = await daemonFor(alice.number);
    let aliceStopped = false;
    const bobDaemon = await daemonFor(bob.number);
    let a: LineClient | null = await client(aliceDaemon.port);
    const b = await client(bobDaemon.port);
    try {
      const question = await send(b, { recipient: alice.aci, dataMessage: { message: 'question?' } });
      await entryFrom(a, (e) => e.body === 'question?');

      // A quote, a mention and a style in one reply.
      const reply = await send(a, {
        recipient: bob.aci,
        dataMessage: {
          message: 'Hi @ look',
          quote: { timestamp: question, author: bob.aci, text: 'question?' },
          mentions: [{ recipient: bob.aci, start: 3, length: 1 }],
          textStyles: [{ style: 'BOLD', start: 5, length: 4 }],
        },
      });
      const quoted = await entryFrom(b, (e) => e.timestamp === reply);
      // B stored it: A's client gets B's delivery receipt naming it.
      assert.deepEqual((await entryFrom(a, (e) => e.receiptMessage?.type === 'DELIVERY' && e.receiptMessage.timestamps.includes(reply))).receiptMessage, {
        type: 'DELIVERY',
        timestamps: [reply],
      });
      assert.equal(quoted.body, 'Hi @ look');
      assert.deepEqual(quoted.quote, { id: question, author: bob.number, authorUuid: bob.aci, text: 'question?' });
      assert.deepEqual(quoted.mentions, [{ number: bob.number, uuid: bob.aci, start: 3, length: 1 }]);
      assert.deepEqual(quoted.textStyles, [{ style: 'BOLD', start: 5, length: 4 }]);

      const edit = await send(a, { recipient: bob.aci, dataMessage: { message: 'Hi @ look again', editTimestamp: reply } });
      const edited = await entryFrom(b, (e) => e.timestamp === edit);
      assert.equal(edited.body, 'Hi @ look again');
      assert.deepEqual(edited.editMessage, { targetSentTimestamp: reply });

      const deletion = await send(a, { command: 'remote_delete', recipient: bob.aci, targetTimestamp: reply });
      assert.deepEqual((await entryFrom(b, (e) => e.timestamp === deletion)).remoteDelete, { timestamp: reply });

      const typing = await send(a, { command: 'send_typing', recipient: bob.aci });
      assert.deepEqual((await entryFrom(b, (e) => e.timestamp === typing)).typingMessage, { action: 'STARTED' });
      const stopped = await send(a, { command: 'send_typing', recipient: bob.aci, stop: true });
      assert.deepEqual((await entryFrom(b, (e) => e.timestamp === stopped)).typingMessage, { action: 'STOPPED' });

      const read = await send(a, { command: 'send_receipt', recipient: bob.aci, targetTimestamps: [question] });
      assert.deepEqual((await entryFrom(b, (e) => e.timestamp === read)).receiptMessage, { type: 'READ', timestamps: [question] });

      // The same through A's CLI (the daemon holds the account: stop it first).
      a.close();
      a = null;
      aliceStopped = true;
      assert.equal(await aliceDaemon.stop(), 0);

      const cliReply = Number(
        await aliceCli('send', '-m', 'Yo @ there', '--quote-timestamp', String(question), '--quote-author', bob.aci, '--quote-message', 'question?',
          '--mention', `3:1:${bob.aci}`, '--text-style', '0:2:ITALIC', '--text-style', '5:5:SPOILER', bob.aci),
      );
      const cliQuoted = await entryFrom(b, (e) => e.timestamp === cliReply);
      assert.equal(cliQuoted.body, 'Yo @ there');
      assert.deepEqual(cliQuoted.quote, { id: question, author: bob.number, authorUuid: bob.aci, text: 'question?' });
      assert.deepEqual(cliQuoted.mentions, [{ number: bob.number, uuid: bob.aci, start: 3, length: 1 }]);
      assert.deepEqual(cliQuoted.textStyles, [{ style: 'ITALIC', start: 0, length: 2 }, { style: 'SPOILER', start: 5, length: 5 }]);

      const cliEdit = Number(await aliceCli('send', '-m', 'Yo again', '--edit-timestamp', String(cliReply), bob.aci));
      const cliEdited = await entryFrom(b, (e) => e.timestamp === cliEdit);
      assert.equal(cliEdited.body, 'Yo again');
      assert.deepEqual(cliEdited.editMessage, { targetSentTimestamp: cliReply });

      const cliDelete = Number(await aliceCli('remoteDelete', '-t', String(cliReply), bob.aci));
      assert.deepEqual((await entryFrom(b, (e) => e.timestamp === cliDelete)).remoteDelete, { timestamp: cliReply });

      await aliceCli('sendTyping', bob.aci);
      assert.equal((await entryFrom(b, (e) => e.typingMessage !== undefined)).typingMessage.action, 'STARTED');
      await aliceCli('sendTyping', '-s', bob.aci);
      assert.equal((await entryFrom(b, (e) => e.typingMessage !== undefined)).typingMessage.action, 'STOPPED');

      await aliceCli('sendReceipt', '-t', String(question), '--type', 'viewed', bob.aci);
      assert.deepEqual((await entryFrom(b, (e) => e.receiptMessage?.type === 'VIEWED')).receiptMessage, { type: 'VIEWED', timestamps: [question] });
    } finally {
      a?.close();
      b.close();
      if (!aliceStopped) assert.equal(await aliceDaemon.stop(), 0);
      assert.equal(await bobDaemon.stop(), 0);
    }
  });
});
