// `unregister --confirm`: leave the Signal server for good. On the primary (a registered number)
// the account is deleted; on a linked device only that device is unlinked. Either way the local
// account data goes too, as with signal-cli's `unregister --delete-account`: its keys are useless.
import { listAccounts, removeAccountData } from '../messenger/accountFiles.js';
import { CommandArguments, unregister } from '../messenger/commands/index.js';
import { dataDirOf, parseArguments, requireAccount, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';
import { sigsockCommandLine } from './commandLine.js';

export const unregisterCommand: Command = {
  name: 'unregister',
  summary: 'delete the account (primary) or unlink this device (linked), then its local data',
  usage: '-a +NUMBER unregister --confirm',
  details:
    'On a registered number, others can no longer message it and it must be registered again to be used. ' +
    'On a linked device, the phone keeps the account. Messages not yet read from the local inbox are lost.',
  options: {
    confirm: { type: 'boolean', description: 'required: you mean it' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError('unregister takes no arguments');
    const number = requireAccount(ctx);
    // Before anything about deleting from the server: there may be nothing to delete.
    if (!listAccounts(dataDirOf(ctx)).includes(number)) {
      ctx.stderr.write(`sigsock: there is no account ${number} in ${dataDirOf(ctx)}: nothing to unregister (\`${sigsockCommandLine(ctx.global, undefined, 'listAccounts')}\` shows the accounts there)\n`);
      return 1;
    }
    const params = parseArguments(unregister, new CommandArguments({ confirm: ctx.values.confirm === true }, { confirm: '--confirm' }));
    let outcome: string | undefined;
    const code = await withMessenger(ctx, async (messenger) => {
      messenger.start();
      outcome = await unregister.run(messenger, params, {});
      return 0;
    });
    if (code !== 0) return code;
    removeAccountData(dataDirOf(ctx), number);
    ctx.stdout.write(`${number}: ${outcome}; local data removed\n`);
    return 0;
  },
};
