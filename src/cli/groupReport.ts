// What updateGroup and quitGroup print: the change as the server applied it, on stderr.
import type { GroupUpdateResult } from '../messenger/api.js';
import { onlyInvitedWarning } from '../messenger/commands/index.js';
import type { CommandContext } from './command.js';

/** Exit code 1 when the server accepted the change but did not apply all of it. */
export function reportGroupChange(ctx: CommandContext, result: GroupUpdateResult): number {
  const say = (line: string) => ctx.stderr.write(`${line}\n`);
  if (result.unchanged) say('nothing to change');
  if (result.added.length) say(`added: ${result.added.join(', ')}`);
  if (result.invited.length) say(`invited (their profile key is not known here; they become members when they accept): ${result.invited.join(', ')}`);
  if (result.removed.length) say(`removed: ${result.removed.join(', ')}`);
  const warning = onlyInvitedWarning(result);
  if (warning !== undefined) say(`sigsock: warning: ${warning}`);
  const failed = result.results.filter((r) => !r.success);
  if (failed.length) say(`the update message did not reach: ${failed.map((r) => `${r.recipient ?? r.aci} (${r.error ?? 'error'})`).join(', ')}`);
  if (result.notApplied.length) {
    say(`sigsock: the group server accepted the change but did not apply all of it: ${result.notApplied.join(', ')}`);
    return 1;
  }
  return 0;
}
