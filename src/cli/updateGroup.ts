import type { GroupUpdateResult } from '../messenger/api.js';
import { withMessenger } from './accountSetup.js';
import { UsageError, type Command, type CommandContext } from './command.js';

const GROUP_ID = /^[A-Za-z0-9+/]{43}=$/;

function groupIdOption(ctx: CommandContext): string | undefined {
  const id = ctx.values['group-id'] as string | undefined;
  if (id !== undefined && !GROUP_ID.test(id)) throw new UsageError(`"${id}" is not a group id (base64 of 32 bytes, as listGroups prints)`);
  return id;
}

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

function report(ctx: CommandContext, result: GroupUpdateResult): number {
  const say = (line: string) => ctx.stderr.write(`${line}\n`);
  if (result.unchanged) say('nothing to change');
  if (result.added.length) say(`added: ${result.added.join(', ')}`);
  if (result.invited.length) say(`invited (their profile key is not known here; they become members when they accept): ${result.invited.join(', ')}`);
  if (result.removed.length) say(`removed: ${result.removed.join(', ')}`);
  const failed = result.results.filter((r) => !r.success);
  if (failed.length) say(`the update message did not reach: ${failed.map((r) => `${r.recipient ?? r.aci} (${r.error ?? 'error'})`).join(', ')}`);
  if (result.notApplied.length) {
    say(`sigsock: the group server accepted the change but did not apply all of it: ${result.notApplied.join(', ')}`);
    return 1;
  }
  return 0;
}

export const updateGroupCommand: Command = {
  name: 'updateGroup',
  summary: 'create a group, or rename it and add or remove members',
  usage: '-a +NUMBER updateGroup [-g GROUP_ID] [-n NAME] [-m MEMBER...] [-r MEMBER...]',
  details: [
    'Without -g a new group is created (-n is required) with this account as its administrator, and',
    'its id is printed. MEMBER is a phone number (+49…) or an ACI. A contact whose profile key this',
    'account knows (they sent it a message) is added as a member; anyone else is invited and joins',
    'when they accept in their app. The members are sent the change, so their apps show it.',
    'The socket daemon must not be running (it holds the account).',
  ].join('\n'),
  options: {
    'group-id': { type: 'string', short: 'g', valueName: 'GROUP_ID', description: 'the group to change (base64, as listGroups prints)' },
    name: { type: 'string', short: 'n', valueName: 'NAME', description: 'the group name' },
    member: { type: 'string', short: 'm', multiple: true, valueName: 'MEMBER', description: 'add members (repeatable, or several after one -m)' },
    'remove-member': { type: 'string', short: 'r', multiple: true, valueName: 'MEMBER', description: 'remove members (repeatable, or several after one -r)' },
  },
  async run(ctx) {
    const groupId = groupIdOption(ctx);
    const name = ctx.values.name as string | undefined;
    const { add, remove } = memberLists(ctx);
    if (groupId === undefined && !name?.trim()) throw new UsageError('a new group needs a name: updateGroup -n NAME [-m MEMBER...]');
    if (groupId === undefined && remove.length) throw new UsageError('-r needs -g GROUP_ID');
    if (groupId !== undefined && name === undefined && add.length === 0 && remove.length === 0) {
      throw new UsageError('nothing to change: give -n NAME, -m MEMBER or -r MEMBER');
    }
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      const result = await messenger.updateGroup({ groupId, title: name, addMembers: add, removeMembers: remove });
      if (result.created) ctx.stdout.write(`${result.groupId}\n`);
      return report(ctx, result);
    });
  },
};

export const quitGroupCommand: Command = {
  name: 'quitGroup',
  summary: 'leave a group (or decline an invitation to it)',
  usage: '-a +NUMBER quitGroup -g GROUP_ID [--admin MEMBER...]',
  details: [
    "If this account is the group's only administrator and others remain, name a member who becomes",
    'one with --admin (as Signal\'s apps do, so the group keeps an administrator). The members are told.',
  ].join('\n'),
  options: {
    'group-id': { type: 'string', short: 'g', valueName: 'GROUP_ID', description: 'the group to leave' },
    admin: { type: 'string', multiple: true, valueName: 'MEMBER', description: 'make this member an administrator first (repeatable)' },
  },
  async run(ctx) {
    const groupId = groupIdOption(ctx);
    if (groupId === undefined) throw new UsageError('quitGroup needs -g GROUP_ID');
    if (ctx.positionals.length) throw new UsageError(`unexpected argument "${ctx.positionals[0]}"`);
    const admins = (ctx.values.admin as string[] | undefined) ?? [];
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      return report(ctx, await messenger.quitGroup(groupId, admins));
    });
  },
};
