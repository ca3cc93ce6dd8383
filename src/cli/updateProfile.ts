import { readFile } from 'node:fs/promises';
import { CommandArguments, updateProfile } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

export const updateProfileCommand: Command = {
  name: 'updateProfile',
  summary: 'set the profile (name, about text, avatar) your contacts see',
  usage: '-a +NUMBER updateProfile [--name|--given-name NAME] [--family-name NAME] [--about TEXT] [--about-emoji EMOJI] [--avatar FILE | --remove-avatar]',
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
    const avatarFile = ctx.values.avatar as string | undefined;
    if (avatarFile !== undefined && ctx.values['remove-avatar']) throw new UsageError('give --avatar FILE or --remove-avatar, not both');
    const args = new CommandArguments(
      {
        givenName: ctx.values.name ?? ctx.values['given-name'],
        familyName: ctx.values['family-name'],
        about: ctx.values.about,
        aboutEmoji: ctx.values['about-emoji'],
        avatar: ctx.values['remove-avatar'] ? null : avatarFile === undefined ? undefined : await readAvatar(avatarFile),
      },
      { givenName: '--name', familyName: '--family-name', about: '--about', aboutEmoji: '--about-emoji', avatar: avatarFile === undefined ? '--avatar' : `the avatar file ${avatarFile}` },
    );
    const change = parseArguments(updateProfile, args);
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      await updateProfile.run(messenger, change, {});
      ctx.stdout.write('profile updated\n');
      return 0;
    });
  },
};

async function readAvatar(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new UsageError(`cannot read the avatar file ${path}: ${(err as Error).message}`, { cause: err });
  }
}
