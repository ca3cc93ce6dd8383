// `listAccounts`: what this data directory holds, without touching the network.
import { listAccounts } from '../messenger/commands/index.js';
import { dataDirOf } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

export const listAccountsCommand: Command = {
  name: 'listAccounts',
  summary: 'show the accounts (phone numbers) in the data directory',
  usage: 'listAccounts',
  jsonOutput: true,
  options: {},
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError('listAccounts takes no arguments');
    const numbers = await listAccounts.run({ dataDir: dataDirOf(ctx) }, {}, {});
    if (ctx.global.output === 'json') ctx.stdout.write(JSON.stringify(numbers.map((number) => ({ number }))) + '\n');
    else for (const number of numbers) ctx.stdout.write(`${number}\n`);
    // On stderr, so that scripts reading the list still get an empty one.
    if (numbers.length === 0) ctx.stderr.write(`no accounts in ${dataDirOf(ctx)}: add one with \`sigsock link\` or \`register\` (or pass --config DIR)\n`);
    return 0;
  },
};
