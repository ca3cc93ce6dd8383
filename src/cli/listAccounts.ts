// `listAccounts`: what this data directory holds, without touching the network.
import { listAccounts } from '../messenger/commands/index.js';
import { dataDirOf } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

export const listAccountsCommand: Command = {
  name: 'listAccounts',
  summary: 'show the accounts (phone numbers) in the data directory',
  usage: 'listAccounts',
  options: {},
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError('listAccounts takes no arguments');
    for (const number of await listAccounts.run({ dataDir: dataDirOf(ctx) }, {}, {})) ctx.stdout.write(`${number}\n`);
    return 0;
  },
};
