// The receive path's one question about the block list: does this envelope's entry reach the
// queue? Entries from blocked accounts and from blocked groups do not: the envelope is still
// committed (its ratchet state, its id) and acknowledged, so the server does not redeliver it, as
// Signal apps do. What this account's own devices sent is never dropped.
import type { Log } from '../util/log.js';
import type { ContentEffects } from './contentInterpreter.js';
import type { BlockedSenders } from './contacts.js';

export class BlockFilter {
  private dropped = 0;

  constructor(
    private readonly blocked: BlockedSenders,
    private readonly localAci: string,
    private readonly log: Log,
  ) {}

  /** `effects` without its entry when the sender or the group is blocked; otherwise `effects` itself. */
  screen(effects: ContentEffects): ContentEffects {
    const entry = effects.entry;
    if (!entry || effects.sender.aci === this.localAci) return effects;
    const groupId = effects.group?.groupId ?? ('groupId' in entry.value ? entry.value.groupId : null);
    const byAccount = this.blocked.isBlockedAccount(effects.sender.aci, effects.sender.e164);
    if (!byAccount && !(groupId && this.blocked.isBlockedGroup(groupId))) return effects;
    this.dropped++;
    this.log(`receive: dropped a ${entry.value.kind} from a blocked ${byAccount ? 'sender' : 'group'} (${this.dropped} dropped since start)`);
    return { ...effects, entry: null };
  }
}
