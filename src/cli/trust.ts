import { CommandArguments, trust } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

export const trustCommand: Command = {
  name: 'trust',
  summary: "accept a contact's new safety number, so sends to them are no longer blocked",
  usage: '-a +NUMBER trust [--verified] RECIPIENT',
  details: 'Prints the safety number; compare it with the one your contact sees to be sure (then use --verified).',
  options: {
    verified: { type: 'boolean', description: 'mark the key as verified (you compared safety numbers)' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('trust needs exactly one RECIPIENT (+NUMBER or ACI)');
    const params = parseArguments(trust, new CommandArguments({ recipient: ctx.positionals[0], verified: Boolean(ctx.values.verified) }, { recipient: 'RECIPIENT' }));
    return withMessenger(ctx, async (messenger) => {
      const result = await trust.run(messenger, params, {});
      ctx.stdout.write(`trusted ${ctx.positionals[0]} (${result.aci})${result.safetyNumber ? `, safety number ${result.safetyNumber}` : ''}\n`);
      return 0;
    });
  },
};
