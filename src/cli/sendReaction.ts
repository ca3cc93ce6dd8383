// `sendReaction`, as signal-cli's command: react to a message (or take the reaction back) in a
// conversation or group. It runs the JSON-RPC method, so both outputs are signal-cli's: the
// timestamp, or with `-o json` the `{timestamp, results}` the method answers.
import { UsageError, type Command } from './command.js';
import { timestampFlag } from './messageFlags.js';
import { printMethodResult } from './signalCliJson.js';

export const sendReactionCommand: Command = {
  name: 'sendReaction',
  summary: 'react with an emoji to a message (yours or a contact\'s), or take the reaction back with -r; print its timestamp',
  usage: '-a +NUMBER sendReaction -e EMOJI -a AUTHOR -t TIMESTAMP [-r | --remove] (RECIPIENT... | -g GROUP_ID...)',
  details: 'As signal-cli: the -a after the command is the reacted-to message\'s author (+NUMBER or ACI); left out, it is the one RECIPIENT.',
  jsonOutput: true,
  options: {
    emoji: { type: 'string', short: 'e', valueName: 'EMOJI', description: 'the reaction, one emoji' },
    'target-author': { type: 'string', short: 'a', valueName: 'AUTHOR', description: "the reacted-to message's author (+NUMBER or ACI)" },
    'target-timestamp': { type: 'string', short: 't', valueName: 'TIMESTAMP', description: "the reacted-to message's sent timestamp" },
    remove: { type: 'boolean', short: 'r', description: 'take the reaction back' },
    'group-id': { type: 'string', short: 'g', multiple: true, valueName: 'GROUP_ID', description: 'react in this group (base64, as listGroups prints; repeatable)' },
  },
  async run(ctx) {
    const recipients = ctx.positionals;
    const groupIds = (ctx.values['group-id'] as string[] | undefined) ?? [];
    if (recipients.length + groupIds.length === 0) throw new UsageError('sendReaction needs a RECIPIENT or -g GROUP_ID');
    for (const [option, name] of [['emoji', '-e EMOJI'], ['target-timestamp', '-t TIMESTAMP']] as const) {
      if (ctx.values[option] === undefined) throw new UsageError(`sendReaction needs ${name}`);
    }
    const author = (ctx.values['target-author'] as string | undefined) ?? (recipients.length === 1 && groupIds.length === 0 ? recipients[0] : undefined);
    if (author === undefined) throw new UsageError('sendReaction needs -a AUTHOR (the reacted-to message\'s author) unless it goes to one RECIPIENT');
    const params = {
      recipient: recipients,
      groupId: groupIds,
      emoji: ctx.values.emoji,
      targetAuthor: author,
      targetTimestamp: timestampFlag(ctx.values['target-timestamp']),
      remove: ctx.values.remove === true,
    };
    const format = ctx.global.output === 'json' ? undefined : (result: unknown) => `${(result as { timestamp: number }).timestamp}\n`;
    return printMethodResult(ctx, 'sendReaction', params, { online: true, format });
  },
};
