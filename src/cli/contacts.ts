// `listContacts`, `block`, `unblock`: the account's contacts and its block list, as signal-cli has them.
import type { ContactSummary } from '../messenger/api.js';
import { block, CommandArguments, listContacts, unblock } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command, type CommandContext } from './command.js';

export const listContactsCommand: Command = {
  name: 'listContacts',
  summary: 'show the contacts this account knows: number, ACI, names, profile name, blocked, timer',
  usage: '-a +NUMBER listContacts [--json] [--blocked true|false] [RECIPIENT...]',
  details: 'Names come from the phone (contact sync) or `updateContact`; profile names from the contacts themselves.',
  options: {
    json: { type: 'boolean', description: 'one JSON object per contact' },
    blocked: { type: 'string', valueName: 'true|false', description: 'only blocked (true) or only not blocked (false) contacts' },
  },
  async run(ctx) {
    const blockedOption = ctx.values.blocked;
    if (blockedOption !== undefined && blockedOption !== 'true' && blockedOption !== 'false') throw new UsageError('--blocked takes true or false');
    const args = new CommandArguments(
      { recipients: ctx.positionals.length ? ctx.positionals : undefined, blocked: blockedOption === undefined ? undefined : blockedOption === 'true' },
      { recipients: 'RECIPIENT', blocked: '--blocked' },
    );
    const filter = parseArguments(listContacts, args);
    return withMessenger(ctx, async (messenger) => {
      for (const c of await listContacts.run(messenger, filter, {})) ctx.stdout.write((ctx.values.json ? JSON.stringify(c) : describeContact(c)) + '\n');
      return 0;
    });
  },
};

/** signal-cli's plain line, with the same labels. */
function describeContact(c: ContactSummary): string {
  const timer = c.messageExpirationTime === 0 ? 'disabled' : `${c.messageExpirationTime}s`;
  return `Number: ${c.number ?? ''} ACI: ${c.uuid} Name: ${c.name ?? ''} Profile name: ${c.profileName ?? ''} Blocked: ${c.isBlocked} Message expiration: ${timer}`;
}

/** `block +49… +49… -g GROUP GROUP`: values after -g (as many as follow it) are groups, the others recipients. */
function blockTargets(ctx: CommandContext): { recipients: string[]; groupIds: string[] } {
  const recipients: string[] = [];
  const groupIds: string[] = [];
  let afterGroupOption = false;
  for (const token of ctx.tokens ?? []) {
    if (token.kind === 'option') {
      afterGroupOption = token.name === 'group-id';
      if (afterGroupOption && token.value !== undefined) groupIds.push(token.value);
    } else if (token.kind === 'positional') {
      (afterGroupOption ? groupIds : recipients).push(token.value);
    }
  }
  return { recipients, groupIds };
}

function blockCommandFor(name: 'block' | 'unblock'): Command {
  const declaration = name === 'block' ? block : unblock;
  return {
    name,
    summary:
      name === 'block'
        ? "block contacts or groups: their messages are dropped (acknowledged, never queued); the account's other devices are told"
        : 'unblock contacts or groups: their messages are received again',
    usage: `-a +NUMBER ${name} [RECIPIENT...] [-g GROUP_ID...]`,
    options: {
      'group-id': { type: 'string', short: 'g', multiple: true, valueName: 'GROUP_ID', description: `${name} this group (base64, as listGroups prints; several after one -g)` },
    },
    async run(ctx) {
      const targets = blockTargets(ctx);
      const args = new CommandArguments(
        { recipients: targets.recipients.length ? targets.recipients : undefined, groupIds: targets.groupIds.length ? targets.groupIds : undefined },
        { recipients: 'RECIPIENT', groupIds: '-g GROUP_ID' },
      );
      const request = parseArguments(declaration, args);
      return withMessenger(ctx, async (messenger) => {
        messenger.start();
        const result = await declaration.run(messenger, request, {});
        const what = [...request.recipients, ...request.groupIds].join(', ');
        ctx.stdout.write(`${name === 'block' ? 'blocked' : 'unblocked'} ${what}\n`);
        if (result.syncedDevices === null) ctx.stderr.write("warning: this account's other devices could not be told; they learn it with the next change\n");
        return 0;
      });
    },
  };
}

export const blockCommand = blockCommandFor('block');
export const unblockCommand = blockCommandFor('unblock');
