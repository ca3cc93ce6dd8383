// `verify`: finish registering a number with the code Signal sent.
import { CommandArguments, verify } from '../messenger/commands/index.js';
import { environmentOf, parseArguments, reportingFailures, requireAccount } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'finish registering a number with the code Signal sent',
  usage: '-a +NUMBER verify CODE  (--pin PIN: not supported yet)',
  details: 'Creates the account (identity keys, prekeys, profile key) and prints its ACI; the account is then ready for `socket`.',
  options: {
    pin: { type: 'string', valueName: 'PIN', description: 'not supported yet: a registration-lock PIN needs SVR2 (docs/account.md)' },
  },
  async run(ctx) {
    if (ctx.values.pin === undefined && ctx.positionals.length !== 1) throw new UsageError('verify needs exactly one CODE (the digits Signal sent)');
    const args = new CommandArguments({ number: requireAccount(ctx, false), code: ctx.positionals[0], pin: ctx.values.pin }, { number: '-a', pin: 'verify --pin' });
    const params = parseArguments(verify, args);
    return reportingFailures(ctx, async () => {
      const account = await verify.run(environmentOf(ctx), params, {});
      ctx.stdout.write(`Registered ${account.number} (ACI ${account.aci})\n`);
      return 0;
    });
  },
};
