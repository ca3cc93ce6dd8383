import { withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

export const updateProfileCommand: Command = {
  name: 'updateProfile',
  summary: 'set the profile name (and about text) your contacts see',
  usage: '-a +NUMBER updateProfile --name NAME [--family-name NAME] [--about TEXT] [--about-emoji EMOJI]',
  details: 'The profile is encrypted with the account\'s profile key: contacts read it once you have messaged them. Avatars are not supported yet.',
  options: {
    name: { type: 'string', short: 'n', valueName: 'NAME', description: 'given name (required; signal-cli calls it --given-name too)' },
    'given-name': { type: 'string', valueName: 'NAME', description: 'same as --name' },
    'family-name': { type: 'string', valueName: 'NAME', description: 'family name' },
    about: { type: 'string', valueName: 'TEXT', description: 'a short text about the account' },
    'about-emoji': { type: 'string', valueName: 'EMOJI', description: 'an emoji shown with the about text' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`updateProfile takes no arguments (got "${ctx.positionals[0]}")`);
    const givenName = ((ctx.values.name ?? ctx.values['given-name']) as string | undefined)?.trim();
    if (!givenName) throw new UsageError('updateProfile needs --name NAME');
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      await messenger.updateProfile({
        givenName,
        familyName: ctx.values['family-name'] as string | undefined,
        about: ctx.values.about as string | undefined,
        aboutEmoji: ctx.values['about-emoji'] as string | undefined,
      });
      ctx.stdout.write('profile updated\n');
      return 0;
    });
  },
};
