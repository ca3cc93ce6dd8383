// send_reaction: {recipient | groupId, reaction: {emoji, author, timestamp, remove}} → the engine's sendReaction.
import { CommandArguments, InvalidCommandError, isPlainObject, parseTarget, sendReaction as react } from '../../messenger/commands/index.js';
import type { Handler } from './context.js';

const LABELS = { emoji: 'reaction.emoji', author: 'reaction.author', timestamp: 'reaction.timestamp', remove: 'reaction.remove' };

export const sendReaction: Handler = async (request, ctx) => {
  const reaction = isPlainObject(request.reaction) ? request.reaction : undefined;
  const { emoji, author, timestamp, remove } = reaction ?? {};
  const args = new CommandArguments({ recipient: request.recipient, groupId: request.groupId, emoji, author, timestamp, remove }, LABELS);
  parseTarget(args);
  if (!reaction) throw new InvalidCommandError('MISSING_REACTION', 'reaction is missing: it must be an object with emoji, author and timestamp');
  const result = await react.run(ctx.messenger, react.parse(args, ctx.limits), {});
  return { fields: { timestamp: result.timestamp, results: result.results } };
};
