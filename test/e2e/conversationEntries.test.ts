// Issue 15 (receiving): what a Signal conversation carries besides plain text reaches the daemon's
// client as entries, through the real daemon and socket. The owner's phone sends sync transcripts
// of what it sent (Note to Self, to a contact, in a group, an edit); Bob sends a reply with a quote,
// mentions and styles, an edit, a remote delete, a timer change, receipts, typing, and content
// sigsock does not interpret.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Group } from '@signalapp/mock-server';
import { anyContent, dataMessage, sentTranscript } from '../support/contactActions.js';
import { receiveAll, startDaemon, type Daemon } from '../support/daemon.js';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { client, type LineClient } from '../support/lineClient.js';

describe('conversation entries (issue 15)', { timeout: 120_000 }, () => {
  let f: LinkedFixture;
  let daemon: Daemon;
  let c: LineClient;
  let group: Group;

  before(async () => {
    f = await linkedAccount();
    daemon = await startDaemon(f);
    c = await client(daemon.port);
    group = await f.phone.createGroup({ title: 'Team', members: [f.phone, f.bob, f.carol] });
    await f.introduce(f.bob);
  });
  after(async () => {
    c?.close();
    await daemon?.stop();
    await f?.close();
  });

  it("sees what the owner sent from the phone as the account's own: Note to Self, to a contact, in a group, an edit", async () => {
    const self = { aciBinary: f.phone.device.aciBinary };
    const note = dataMessage({ body: 'note to self' });
    await f.phone.sendRaw(f.device, sentTranscript(note, self));
    await f.phone.sendRaw(f.device, sentTranscript(dataMessage({ body: 'hi bob' }), { aciBinary: f.bob.device.aciBinary }));
    await f.phone.sendRaw(f.device, sentTranscript(dataMessage({ body: 'hi team', groupV2: group.toContext() }), null));
    await f.phone.sendRaw(f.device, sentTranscript(dataMessage({ body: 'note to self, edited' }), self, { targetTimestamp: Number(note.timestamp) }));
    const [toSelf, toBob, toGroup, edit] = (await receiveAll(c, 4)) as Record<string, any>[];
    const own = { sender: f.number, senderUuid: f.phone.device.aci, sentByThisAccount: true };
    assert.deepEqual(toSelf, { timestamp: Number(note.timestamp), ...own, body: 'note to self', attachments: [], destination: f.number, destinationUuid: f.phone.device.aci });
    assert.deepEqual([toBob.body, toBob.sentByThisAccount, toBob.destination, toBob.destinationUuid], ['hi bob', true, f.bob.device.number, f.bob.device.aci]);
    assert.deepEqual([toGroup.body, toGroup.sentByThisAccount, toGroup.groupId, 'destination' in toGroup], ['hi team', true, group.id, false]);
    assert.deepEqual([edit.body, edit.sentByThisAccount, edit.editMessage], ['note to self, edited', true, { targetSentTimestamp: Number(note.timestamp) }]);
  });

  it("receives a contact's reply with a quote, mentions, styles and a timer; an edit; a remote delete; a timer change", async () => {
    const reply = dataMessage({
      body: '@ bold',
      expireTimer: 600,
      quote: { id: 1234n, authorAciBinary: Buffer.from(f.phone.device.aciBinary), text: 'the question', authorAci: null, attachments: null, bodyRanges: null, type: null },
      bodyRanges: [
        { start: 0, length: 1, associatedValue: { mentionAciBinary: Buffer.from(f.carol.device.aciBinary) } },
        { start: 2, length: 4, associatedValue: { style: 1 } },
      ],
    });
    await f.bob.sendRaw(f.device, anyContent({ dataMessage: reply }));
    await f.bob.sendRaw(f.device, anyContent({ editMessage: { targetSentTimestamp: reply.timestamp, dataMessage: dataMessage({ body: '@ bold, edited' }) } }));
    await f.bob.sendRaw(f.device, anyContent({ dataMessage: dataMessage({ delete: { targetSentTimestamp: reply.timestamp } }) }));
    await f.bob.sendRaw(f.device, anyContent({ dataMessage: dataMessage({ flags: 2, expireTimer: 3600 }) }));
    const [quoting, edit, deleted, timer] = (await receiveAll(c, 4)) as Record<string, any>[];
    assert.equal(quoting.timestamp, Number(reply.timestamp));
    assert.equal(quoting.senderUuid, f.bob.device.aci);
    assert.deepEqual(quoting.quote, { id: 1234, author: f.number, authorUuid: f.phone.device.aci, text: 'the question' });
    assert.deepEqual(quoting.mentions, [{ number: f.carol.device.number, uuid: f.carol.device.aci, start: 0, length: 1 }]);
    assert.deepEqual(quoting.textStyles, [{ style: 'BOLD', start: 2, length: 4 }]);
    assert.equal(quoting.expiresInSeconds, 600);
    assert.equal('sentByThisAccount' in quoting, false);
    assert.deepEqual([edit.body, edit.editMessage], ['@ bold, edited', { targetSentTimestamp: Number(reply.timestamp) }]);
    assert.deepEqual([deleted.body, deleted.remoteDelete], [null, { timestamp: Number(reply.timestamp) }]);
    assert.deepEqual([timer.body, timer.expiresInSeconds, timer.isExpirationUpdate], [null, 3600, true]);
  });

  it('receives receipts and typing, in a group too, and a sticker without its image', async () => {
    await f.bob.sendReceipt(f.device, { type: 'Read' as never, messageTimestamps: [111, 222] });
    await f.bob.sendRaw(f.device, anyContent({ typingMessage: { timestamp: 5n, action: 0, groupId: null } }));
    await f.bob.sendRaw(f.device, anyContent({ typingMessage: { timestamp: 6n, action: 1, groupId: Buffer.from(group.id, 'base64') } }));
    await f.bob.sendRaw(f.device, anyContent({ dataMessage: dataMessage({ sticker: { packId: Buffer.alloc(16), packKey: Buffer.alloc(32), stickerId: 1, data: null, emoji: null } }) }));
    const [receipt, started, stopped, sticker] = (await receiveAll(c, 4)) as Record<string, any>[];
    assert.deepEqual([receipt.senderUuid, receipt.body, receipt.receiptMessage], [f.bob.device.aci, null, { type: 'READ', timestamps: [111, 222] }]);
    assert.deepEqual([started.timestamp, started.typingMessage, 'groupId' in started], [5, { action: 'STARTED' }, false]);
    assert.deepEqual([stopped.typingMessage, stopped.groupId], [{ action: 'STOPPED' }, group.id]);
    assert.deepEqual([sticker.senderUuid, sticker.sticker], [f.bob.device.aci, { packId: '00'.repeat(16), packKey: '00'.repeat(32), stickerId: 1, attachment: null }]);
  });
});

