// `listIdentities`: contacts' identity keys as this account knows them, without touching the network.
import { CommandArguments, listIdentities } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command } from './command.js';
import { printMethodResult } from './signalCliJson.js';

export const listIdentitiesCommand: Command = {
  name: 'listIdentities',
  summary: "show contacts' identity keys: safety number and whether sends to them are trusted",
  usage: '-a +NUMBER listIdentities [--json] [RECIPIENT]',
  jsonOutput: true,
  details: 'An "untrusted" key changed after first use: sends to that contact are blocked until `trust`.',
  options: {
    json: { type: 'boolean', description: 'one JSON object per identity' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 1) throw new UsageError('listIdentities takes at most one RECIPIENT');
    const params = parseArguments(listIdentities, new CommandArguments({ recipient: ctx.positionals[0] }, { recipient: 'RECIPIENT' }));
    if (ctx.global.output === 'json') return printMethodResult(ctx, 'listIdentities', { number: ctx.positionals[0] }, { online: false });
    return withMessenger(ctx, async (messenger) => {
      for (const i of await listIdentities.run(messenger, params, {})) {
        if (ctx.values.json) ctx.stdout.write(JSON.stringify(i) + '\n');
        else ctx.stdout.write(`${i.number ?? '-'}  ${i.uuid}  ${i.trust.toUpperCase()}  safety number: ${i.safetyNumber ?? '-'}\n`);
      }
      return 0;
    });
  },
};
