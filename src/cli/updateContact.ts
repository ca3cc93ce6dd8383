// `updateContact RECIPIENT -e SECONDS`, as signal-cli names it: sets the conversation's
// disappearing-message timer and tells the contact. (Contact names are not kept by sigsock.)
import { CommandArguments, setExpiration } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

export const updateContactCommand: Command = {
  name: 'updateContact',
  summary: "set a contact's disappearing-message timer (-e SECONDS, 0: off) and tell the contact; print the timestamp",
  usage: '-a +NUMBER updateContact -e SECONDS RECIPIENT',
  options: {
    expiration: { type: 'string', short: 'e', valueName: 'SECONDS', description: 'the disappearing-message timer in seconds (0 turns it off)' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('updateContact takes one RECIPIENT (+NUMBER or ACI)');
    const given = ctx.values.expiration as string | undefined;
    if (given === undefined) throw new UsageError('updateContact needs -e SECONDS (sigsock keeps no contact names to update)');
    const args = new CommandArguments({ recipient: ctx.positionals[0], expiration: /^\d+$/.test(given) ? Number(given) : given }, { recipient: 'RECIPIENT', expiration: '-e SECONDS' });
    const params = parseArguments(setExpiration, args);
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      const result = await setExpiration.run(messenger, params, {});
      ctx.stdout.write(`${result.timestamp}\n`);
      return 0;
    });
  },
};
