// The account's own things: identities and trust, devices, profile, accounts, version, attachments.
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { CommandArguments, listAccounts, listDevices, listIdentities, removeDevice, trust, updateProfile } from '../../messenger/commands/index.js';
import { RpcError, USER_ERROR } from '../protocol.js';
import type { Method } from './context.js';

const TRUST_LEVEL = { untrusted: 'UNTRUSTED', trusted: 'TRUSTED_UNVERIFIED', verified: 'TRUSTED_VERIFIED' } as const;

export const listIdentitiesMethod: Method = async (params, ctx) => {
  const args = new CommandArguments({ recipient: params.has('number') ? params.get('number') : undefined }, { recipient: 'number' });
  const identities = await listIdentities.run(ctx.engine, listIdentities.parse(args, { maxAttachmentBytes: 0 }), {});
  return identities.map((i) => ({ number: i.number, uuid: i.uuid, safetyNumber: i.safetyNumber, trustLevel: TRUST_LEVEL[i.trust] }));
};

/** signal-cli's trust: either every known key (`trustAllKnownKeys`) or the one whose safety number was compared. */
export const trustMethod: Method = async (params, ctx) => {
  const recipient = params.get('recipient');
  const all = params.get('trustAllKnownKeys') === true;
  const safetyNumber = params.get('verifiedSafetyNumber') ?? params.get('verifiedFingerprint');
  if (all === (safetyNumber !== undefined && safetyNumber !== null)) {
    throw new RpcError(USER_ERROR, 'trust needs exactly one of trustAllKnownKeys: true and verifiedSafetyNumber');
  }
  const parsed = trust.parse(new CommandArguments({ recipient, verified: !all }), { maxAttachmentBytes: 0 });
  if (!all) {
    const known = ctx.engine.listIdentities().find((i) => i.number === parsed.recipient || i.uuid === parsed.recipient);
    const digits = (s: unknown) => String(s).replace(/\s+/g, '');
    if (!known?.safetyNumber || digits(known.safetyNumber) !== digits(safetyNumber)) {
      throw new RpcError(USER_ERROR, 'Failed to set the trust for this number, make sure the number and the safety number are correct.');
    }
  }
  await trust.run(ctx.engine, parsed, {});
  return {};
};

export const listDevicesMethod: Method = async (_params, ctx) => {
  const devices = await listDevices.run(ctx.engine, {}, {});
  return devices.map((d) => ({ id: d.id, name: d.name, createdTimestamp: d.created, lastSeenTimestamp: d.lastSeen }));
};

export const removeDeviceMethod: Method = async (params, ctx) => {
  await removeDevice.run(ctx.engine, removeDevice.parse(new CommandArguments({ deviceId: params.get('deviceId') }), { maxAttachmentBytes: 0 }), {});
  return {};
};

export const updateProfileMethod: Method = async (params, ctx) => {
  params.refuseUnsupported('updateProfile', ['mobileCoinAddress']);
  const avatarPath = params.get('avatar');
  if (avatarPath !== undefined && typeof avatarPath !== 'string') throw new RpcError(USER_ERROR, 'avatar must be the path of an image file');
  let avatar: Uint8Array | null | undefined = params.get('removeAvatar') === true ? null : undefined;
  if (typeof avatarPath === 'string') {
    try {
      avatar = await readFile(avatarPath);
    } catch (err) {
      throw new RpcError(USER_ERROR, `cannot read the avatar file ${avatarPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, undefined, { cause: err });
    }
  }
  const text = (name: string) => (params.has(name) ? params.get(name) : undefined);
  const args = new CommandArguments({ givenName: text('givenName') ?? text('name'), familyName: text('familyName'), about: text('about'), aboutEmoji: text('aboutEmoji'), avatar });
  await updateProfile.run(ctx.engine, updateProfile.parse(args, { maxAttachmentBytes: 0 }), {});
  return {};
};

export const listAccountsMethod: Method = async (_params, ctx) => (await listAccounts.run({ dataDir: ctx.dataDir }, {}, {})).map((number) => ({ number }));

export const versionMethod: Method = async () => ({ version: packageVersion() });

export const getAttachmentMethod: Method = async (params, ctx) => {
  const id = params.get('id');
  if (typeof id !== 'string') throw new RpcError(USER_ERROR, 'Missing attachment id parameter');
  const bytes = ctx.attachments.read(id);
  if (!bytes) throw new RpcError(USER_ERROR, `Could not find attachment with ID: ${id}`);
  return { data: bytes.toString('base64') };
};

let version: string | undefined;

function packageVersion(): string {
  // dist/src/jsonrpc/methods/account.js → the package root.
  version ??= (JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}
