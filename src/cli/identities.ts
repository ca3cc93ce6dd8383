// `listIdentities` and `listAccounts`: what this data directory knows, without touching the network.
import { listAccounts } from '../store/dataDirectory.js';
import { dataDirOf, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';

export const listIdentitiesCommand: Command = {
  name: 'listIdentities',
  summary: "show contacts' identity keys: safety number and whether sends to them are trusted",
  usage: '-a +NUMBER listIdentities [--json] [RECIPIENT]',
  details: 'An "untrusted" key changed after first use: sends to that contact are blocked until `trust`.',
  options: {
    json: { type: 'boolean', description: 'one JSON object per identity' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 1) throw new UsageError('listIdentities takes at most one RECIPIENT');
    const only = ctx.positionals[0];
    return withMessenger(ctx, async (messenger) => {
      const identities = messenger.listIdentities().filter((i) => !only || i.number === only || i.uuid === only.toLowerCase());
      for (const i of identities) {
        if (ctx.values.json) ctx.stdout.write(JSON.stringify(i) + '\n');
        else ctx.stdout.write(`${i.number ?? '-'}  ${i.uuid}  ${i.trust.toUpperCase()}  safety number: ${i.safetyNumber ?? '-'}\n`);
      }
      return 0;
    });
  },
};

export const listAccountsCommand: Command = {
  name: 'listAccounts',
  summary: 'show the accounts (phone numbers) in the data directory',
  usage: 'listAccounts',
  options: {},
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError('listAccounts takes no arguments');
    for (const number of listAccounts(dataDirOf(ctx))) ctx.stdout.write(`${number}\n`);
    return 0;
  },
};
