// The daemon options that decide what the account does with what arrives, shared by `socket` and
// `daemon` (signal-cli's daemon has --send-read-receipts; stories are sigsock's opt-in).
import type { ReceivePolicy } from '../messenger/accountMessenger.js';
import { UsageError, type CommandContext, type OptionSpec } from './command.js';

export const RECEIVE_POLICY_OPTIONS: Record<string, OptionSpec> = {
  'receive-stories': { type: 'boolean', description: 'hand out stories as entries (off: stories are dropped once received)' },
  'ignore-stories': { type: 'boolean', description: "signal-cli's: stories are not received (sigsock's default; the opposite of --receive-stories)" },
  'send-read-receipts': { type: 'boolean', description: "send read receipts for messages once a client has taken them (as signal-cli's daemon)" },
};

export function receivePolicyOf(ctx: CommandContext): ReceivePolicy {
  if (ctx.values['ignore-stories'] === true && ctx.values['receive-stories'] === true) throw new UsageError('--ignore-stories and --receive-stories contradict each other: give one');
  return { receiveStories: ctx.values['receive-stories'] === true, sendReadReceipts: ctx.values['send-read-receipts'] === true };
}
