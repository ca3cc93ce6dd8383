import { MessengerError } from '../messenger/errors.js';
import { openMessenger } from './accountSetup.js';
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
    const messenger = openMessenger(ctx);
    try {
      const result = await messenger.trustIdentity(ctx.positionals[0], Boolean(ctx.values.verified));
      ctx.stdout.write(`trusted ${ctx.positionals[0]} (${result.aci})${result.safetyNumber ? `, safety number ${result.safetyNumber}` : ''}\n`);
      return 0;
    } catch (err) {
      if (err instanceof MessengerError) {
        ctx.stderr.write(`sigsock: ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      await messenger.stop();
    }
  },
};
