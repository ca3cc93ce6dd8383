import { CommandArguments, updateGroup } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import { reportGroupChange } from './groupReport.js';
import { optionsAsParams, printMethodResult } from './signalCliJson.js';

const LABELS = { groupId: '-g GROUP_ID', name: '-n NAME', addMembers: '-m MEMBER', removeMembers: '-r MEMBER', expiration: '-e SECONDS' };

/**
 * Members after -m/-r, signal-cli style: `-m +49… +49…` as well as `-m +49… -m +49…`. Node's
 * parser sees the extra values as positionals; each belongs to the option before it.
 */
function memberLists(ctx: CommandContext): { add: string[]; remove: string[] } {
  const add: string[] = [];
  const remove: string[] = [];
  let current: string[] | null = null;
  for (const token of ctx.tokens ?? []) {
    if (token.kind === 'option') {
      current = token.name === 'member' ? add : token.name === 'remove-member' ? remove : null;
      if (current && token.value !== undefined) current.push(token.value);
    } else if (token.kind === 'positional') {
      if (!current) throw new UsageError(`unexpected argument "${token.value}"`);
      current.push(token.value);
    }
  }
  return { add, remove };
}

export const updateGroupCommand: Command = {
  name: 'updateGroup',
  summary: 'create a group, or rename it and add or remove members',
  usage: '-a +NUMBER updateGroup [-g GROUP_ID] [-n NAME] [-m MEMBER...] [-r MEMBER...] [-e SECONDS]',
  details: [
    'Without -g a new group is created (-n is required) with this account as its administrator, and',
    'its id is printed. MEMBER is a phone number (+49…) or an ACI. A contact whose profile key this',
    'account knows (they sent it a message) is added as a member; anyone else is invited and joins',
    'when they accept in their app. The members are sent the change, so their apps show it.',
    'The socket daemon must not be running (it holds the account).',
  ].join('\n'),
  jsonOutput: true,
  options: {
    'group-id': { type: 'string', short: 'g', valueName: 'GROUP_ID', description: 'the group to change (base64, as listGroups prints)' },
    name: { type: 'string', short: 'n', valueName: 'NAME', description: 'the group name' },
    member: { type: 'string', short: 'm', multiple: true, valueName: 'MEMBER', description: 'add members (repeatable, or several after one -m)' },
    'remove-member': { type: 'string', short: 'r', multiple: true, valueName: 'MEMBER', description: 'remove members (repeatable, or several after one -r)' },
    expiration: { type: 'string', short: 'e', valueName: 'SECONDS', description: "the group's disappearing-message timer (0 turns it off)" },
  },
  async run(ctx) {
    const { add, remove } = memberLists(ctx);
    const given = ctx.values.expiration as string | undefined;
    const expiration = given !== undefined && /^\d+$/.test(given) ? Number(given) : given;
    const args = new CommandArguments({ groupId: ctx.values['group-id'], name: ctx.values.name, addMembers: add, removeMembers: remove, expiration }, LABELS);
    const params = parseArguments(updateGroup, args);
    if (ctx.global.output === 'json') {
      return printMethodResult(ctx, 'updateGroup', optionsAsParams(ctx, { member: add, 'remove-member': remove, expiration }), { online: true });
    }
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      const result = await updateGroup.run(messenger, params, {});
      if (result.created) ctx.stdout.write(`${result.groupId}\n`);
      return reportGroupChange(ctx, result);
    });
  },
};
