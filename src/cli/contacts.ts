// `listContacts`, `block`, `unblock`, `getUserStatus`, `updateContact`: the account's contacts, its
// block list, and who is on Signal, as signal-cli has them.
import type { ContactSummary } from '../messenger/api.js';
import { writeFile } from 'node:fs/promises';
import { block, CommandArguments, getProfile, getUserStatus, listContacts, sendMessageRequestResponse, setExpiration, unblock, updateContact } from '../messenger/commands/index.js';
import { parseArguments, withMessenger } from './accountSetup.js';
import { UsageError, type Command, type CommandContext } from './command.js';
import { optionsAsParams, printMethodResult } from './signalCliJson.js';

export const listContactsCommand: Command = {
  name: 'listContacts',
  summary: 'show the contacts this account knows: number, ACI, names, profile name, blocked, timer',
  usage: '-a +NUMBER listContacts [--json] [--blocked true|false] [RECIPIENT...]',
  details: 'Names come from the phone (contact sync) or `updateContact`; profile names from the contacts themselves.',
  jsonOutput: true,
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
    if (ctx.global.output === 'json') {
      return printMethodResult(ctx, 'listContacts', optionsAsParams(ctx, { recipient: ctx.positionals, blocked: blockedOption === undefined ? undefined : blockedOption === 'true' }), { online: false });
    }
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

export const getUserStatusCommand: Command = {
  name: 'getUserStatus',
  summary: 'check whether phone numbers are registered with Signal (contact discovery)',
  usage: '-a +NUMBER getUserStatus [--json] NUMBER...',
  details: 'Prints "NUMBER: true" or "NUMBER: false" per number; --json adds the ACI. Signal limits how many new numbers an account may look up.',
  jsonOutput: true,
  options: {
    json: { type: 'boolean', description: 'one JSON object per number: recipient, number, uuid, isRegistered' },
  },
  async run(ctx) {
    const params = parseArguments(getUserStatus, new CommandArguments({ recipients: ctx.positionals }, { recipients: 'NUMBER' }));
    if (ctx.global.output === 'json') return printMethodResult(ctx, 'getUserStatus', { recipient: ctx.positionals }, { online: true });
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      for (const s of await getUserStatus.run(messenger, params, {})) {
        if (ctx.values.json) ctx.stdout.write(JSON.stringify({ recipient: s.recipient, number: s.recipient, uuid: s.uuid, isRegistered: s.isRegistered }) + '\n');
        else ctx.stdout.write(`${s.recipient}: ${s.isRegistered}\n`);
      }
      return 0;
    });
  },
};

export const updateContactCommand: Command = {
  name: 'updateContact',
  summary: "set the name this device shows for a contact (the phone's contact list is not changed) and/or the conversation's disappearing timer",
  usage: '-a +NUMBER updateContact RECIPIENT [-n NAME | --given-name NAME] [--family-name NAME] [-e SECONDS]',
  details: [
    'An empty name clears it, so the name from the phone shows again.',
    '-e SECONDS sets the disappearing-message timer (0: off) and tells the contact; its timestamp is printed.',
  ].join('\n'),
  options: {
    name: { type: 'string', short: 'n', valueName: 'NAME', description: 'the name (signal-cli: --name or --given-name)' },
    'given-name': { type: 'string', valueName: 'NAME', description: 'the same as --name' },
    'family-name': { type: 'string', valueName: 'NAME', description: 'appended to the given name' },
    expiration: { type: 'string', short: 'e', valueName: 'SECONDS', description: 'the disappearing-message timer in seconds (0 turns it off)' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('updateContact needs exactly one RECIPIENT (+NUMBER or ACI)');
    const recipient = ctx.positionals[0];
    const given = (ctx.values.name ?? ctx.values['given-name']) as string | undefined;
    const family = ctx.values['family-name'] as string | undefined;
    const name = given === undefined && family === undefined ? undefined : [given, family].filter(Boolean).join(' ');
    const seconds = ctx.values.expiration as string | undefined;
    // Both are checked before either runs: a bad timer does not leave a name half-applied.
    const timer = seconds === undefined ? undefined : parseArguments(setExpiration, new CommandArguments({ recipient, expiration: /^\d+$/.test(seconds) ? Number(seconds) : seconds }, { recipient: 'RECIPIENT', expiration: '-e SECONDS' }));
    const naming = name !== undefined || !timer ? parseArguments(updateContact, new CommandArguments({ recipient, name }, { recipient: 'RECIPIENT', name: '--name' })) : undefined;
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      if (naming) {
        const contact = await updateContact.run(messenger, naming, {});
        ctx.stdout.write(`${contact.number ?? contact.uuid}: ${contact.name ?? '(no name)'}\n`);
      }
      if (timer) ctx.stdout.write(`${(await setExpiration.run(messenger, timer, {})).timestamp}\n`);
      return 0;
    });
  },
};

export const sendMessageRequestResponseCommand: Command = {
  name: 'sendMessageRequestResponse',
  summary: 'answer message requests: accept (no longer flagged), delete, or block; told to your other devices',
  usage: '-a +NUMBER sendMessageRequestResponse --type accept|delete|block [RECIPIENT...] [-g GROUP_ID...]',
  options: {
    type: { type: 'string', valueName: 'TYPE', description: 'accept, delete or block' },
    'group-id': { type: 'string', short: 'g', multiple: true, valueName: 'GROUP_ID', description: 'a group (base64; several after one -g)' },
  },
  async run(ctx) {
    const targets = blockTargets(ctx);
    const args = new CommandArguments(
      { recipients: targets.recipients.length ? targets.recipients : undefined, groupIds: targets.groupIds.length ? targets.groupIds : undefined, type: ctx.values.type },
      { recipients: 'RECIPIENT', groupIds: '-g GROUP_ID', type: '--type' },
    );
    const params = parseArguments(sendMessageRequestResponse, args);
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      await sendMessageRequestResponse.run(messenger, params, {});
      return 0;
    });
  },
};

export const getProfileCommand: Command = {
  name: 'getProfile',
  summary: "read a contact's Signal profile: name, about text, avatar (they must have shared their profile key)",
  usage: '-a +NUMBER getProfile [--json] [--avatar-file FILE] RECIPIENT',
  options: {
    json: { type: 'boolean', description: 'the profile as one JSON object (without the avatar bytes)' },
    'avatar-file': { type: 'string', valueName: 'FILE', description: 'write the avatar image here (when they have one)' },
  },
  async run(ctx) {
    if (ctx.positionals.length !== 1) throw new UsageError('getProfile needs exactly one RECIPIENT (+NUMBER or ACI)');
    const params = parseArguments(getProfile, new CommandArguments({ recipient: ctx.positionals[0] }, { recipient: 'RECIPIENT' }));
    return withMessenger(ctx, async (messenger) => {
      messenger.start();
      const { avatar, ...profile } = await getProfile.run(messenger, params, {});
      const avatarFile = ctx.values['avatar-file'] as string | undefined;
      if (avatarFile && avatar) await writeFile(avatarFile, Buffer.concat([...avatar.content.chunks()]), { mode: 0o600 });
      if (ctx.values.json) ctx.stdout.write(JSON.stringify({ ...profile, hasAvatar: avatar !== null }) + '\n');
      else {
        const name = [profile.givenName, profile.familyName].filter(Boolean).join(' ');
        ctx.stdout.write(`${profile.number ?? profile.uuid}: ${name || '(no name)'}${profile.about ? ` — ${profile.aboutEmoji ? `${profile.aboutEmoji} ` : ''}${profile.about}` : ''}${avatar ? ' [avatar]' : ''}\n`);
      }
      return 0;
    });
  },
};
