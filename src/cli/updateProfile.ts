import { readFile } from 'node:fs/promises';
import type { ProfileChange } from '../messenger/ownProfile.js';
import { withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

export const updateProfileCommand: Command = {
  name: 'updateProfile',
  summary: 'set the profile (name, about text, avatar) your contacts see',
  usage: '-a +NUMBER updateProfile [--name NAME] [--family-name NAME] [--about TEXT] [--about-emoji EMOJI] [--avatar FILE | --remove-avatar]',
  details:
    'The profile is encrypted with the account\'s profile key: contacts read it once you have messaged them. ' +
    'Options left out keep what sigsock last set (the first update needs --name); an empty value clears a field.',
  options: {
    name: { type: 'string', short: 'n', valueName: 'NAME', description: 'given name (signal-cli calls it --given-name too)' },
    'given-name': { type: 'string', valueName: 'NAME', description: 'same as --name' },
    'family-name': { type: 'string', valueName: 'NAME', description: 'family name' },
    about: { type: 'string', valueName: 'TEXT', description: 'a short text about the account' },
    'about-emoji': { type: 'string', valueName: 'EMOJI', description: 'an emoji shown with the about text' },
    avatar: { type: 'string', valueName: 'FILE', description: 'an image (JPEG, PNG, GIF or WebP) to show as the profile picture' },
    'remove-avatar': { type: 'boolean', description: 'remove the profile picture' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`updateProfile takes no arguments (got "${ctx.positionals[0]}")`);
    const givenName = ((ctx.values.name ?? ctx.values['given-name']) as string | undefined)?.trim();
    if (givenName === '') throw new UsageError('--name cannot be empty');
    const avatarFile = ctx.values.avatar as string | undefined;
    if (avatarFile !== undefined && ctx.values['remove-avatar']) throw new UsageError('give --avatar FILE or --remove-avatar, not both');
    const change: ProfileChange = {
      givenName,
      familyName: ctx.values['family-name'] as string | undefined,
      about: ctx.values.about as string | undefined,
      aboutEmoji: ctx.values['about-emoji'] as string | undefined,
      avatar: ctx.values['remove-avatar'] ? null : avatarFile === undefined ? undefined : await readAvatar(avatarFile),
    };
    if (Object.values(change).every((v) => v === undefined)) {
      throw new UsageError('updateProfile needs something to change: --name, --family-name, --about, --about-emoji, --avatar or --remove-avatar');
    }
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      await messenger.updateProfile(change);
      ctx.stdout.write('profile updated\n');
      return 0;
    });
  },
};

async function readAvatar(path: string): Promise<Uint8Array> {
  try {
    const bytes = await readFile(path);
    if (bytes.length === 0) throw new UsageError(`the avatar file ${path} is empty`);
    if (!imageKind(bytes)) throw new UsageError(`the avatar file ${path} is not a JPEG, PNG, GIF or WebP image; Signal apps would show nothing`);
    return bytes;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read the avatar file ${path}: ${(err as Error).message}`);
  }
}

/** The image formats Signal apps show as avatars, by their first bytes. */
function imageKind(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP') return 'webp';
  return null;
}
