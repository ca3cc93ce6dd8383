// The account's own profile through the real CLI: name, about, and an avatar uploaded to CDN 0 and
// readable by a contact who has the profile key. The mock keeps no avatars; the local network adds
// the routes the way Signal-Server serves them (src/sandbox/profileAvatars.ts).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { httpsClient } from '../../src/signal/https.js';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { openProfileBlob, readProfileName } from '../support/contactActions.js';

describe('updateProfile', () => {
  let f: LinkedFixture;
  let image: Buffer;
  let imageFile: string;
  before(async () => {
    f = await linkedAccount();
    // A PNG signature and some bytes: the server and contacts see only ciphertext anyway.
    image = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(3000)]);
    imageFile = join(f.dataDir, 'avatar.png');
    writeFileSync(imageFile, image);
  });
  after(async () => f?.close());

  const profileKey = () => f.phone.profileKey.serialize();
  const aci = () => f.phone.device.aci;

  it('sets an avatar that a contact can download and decrypt; later updates keep or remove it', async () => {
    const noName = await f.run(['updateProfile', '--avatar', imageFile]);
    assert.equal(noName.code, 1);
    assert.match(noName.stderr, /give --name the first time/);

    const set = await f.run(['updateProfile', '--name', 'Avatar Bot', '--avatar', imageFile]);
    assert.equal(set.code, 0, set.stderr);
    const uploaded = f.network.profileAvatarOf(aci());
    assert.ok(uploaded?.blob, 'the profile points at an uploaded avatar');
    assert.match(uploaded.key, /^profiles\//);

    // As a contact's client: fetch <CDN 0>/<key> and open it with the profile key.
    const cdn0 = f.network.serverConfig.cdnUrls['0'];
    const fetched = await httpsClient(f.network.serverConfig)({ method: 'GET', url: `${cdn0}/${uploaded.key}` });
    assert.equal(fetched.status, 200);
    const plain = openProfileBlob(profileKey(), fetched.body);
    assert.ok(plain.length >= 541 && plain.length > image.length, 'padded to a size bucket');
    assert.deepEqual(plain.subarray(0, image.length), image);
    assert.ok(plain.subarray(image.length).every((b) => b === 0), 'zero padding after the image');
    assert.equal(readProfileName(profileKey(), f.device.profileName!), 'Avatar Bot');

    // Only the about text changes: the name and the avatar stay.
    const about = await f.run(['updateProfile', '--about', 'answers within a minute']);
    assert.equal(about.code, 0, about.stderr);
    assert.equal(readProfileName(profileKey(), f.device.profileName!), 'Avatar Bot');
    assert.equal(f.network.profileAvatarOf(aci())?.key, uploaded.key);

    const removed = await f.run(['updateProfile', '--remove-avatar']);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(f.network.profileAvatarOf(aci()), undefined);
    assert.equal((await httpsClient(f.network.serverConfig)({ method: 'GET', url: `${cdn0}/${uploaded.key}` })).status, 404);
  });

  it('bad input is refused before anything is sent', async () => {
    const missing = await f.run(['updateProfile', '--avatar', join(f.dataDir, 'no-such.png')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read the avatar file .*no-such\.png/);
    const textFile = join(f.dataDir, 'notes.txt');
    writeFileSync(textFile, 'not a picture');
    const notImage = await f.run(['updateProfile', '--name', 'X', '--avatar', textFile]);
    assert.equal(notImage.code, 2);
    assert.match(notImage.stderr, /not a JPEG, PNG, GIF or WebP image/);
    const both = await f.run(['updateProfile', '--avatar', imageFile, '--remove-avatar']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /not both/);
    const nothing = await f.run(['updateProfile']);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /needs something to change/);
  });
});
