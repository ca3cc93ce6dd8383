// Each conversation's disappearing-message timer, as Signal apps keep it: learned from what arrives
// (a contact's messages and timer changes, the owner's own from their transcripts, group changes)
// and carried by every message this account sends there. In a direct conversation the timer has a
// version (`expireTimerVersion`): a change counts only when its version is at least the one known,
// so a late message written under an older timer does not undo a newer change. Kept as small
// settings rows of the account (one per conversation that ever had a timer).
import type { AccountRecordStore } from '../store/accountRecord.js';

export interface TimerSetting {
  seconds: number;
  /** Direct conversations only; 1 until someone changes the timer. */
  version: number;
}

/** What one received message says about its conversation's timer. */
export interface TimerObservation {
  /** An ACI (direct conversation) or `group:` and the group id. */
  conversation: string;
  seconds: number;
  /** The message's `expireTimerVersion`; null when it carried none (older apps, groups). */
  version: number | null;
}

const NONE: TimerSetting = { seconds: 0, version: 1 };

export function groupConversation(groupId: string): string {
  return `group:${groupId}`;
}

export class ConversationTimers {
  constructor(private readonly settings: Pick<AccountRecordStore, 'getSetting' | 'setSetting'>) {}

  get(conversation: string): TimerSetting {
    return this.known(conversation) ?? NONE;
  }

  /** The conversation's timer when the account has learned one (else null: off, or never said). */
  known(conversation: string): TimerSetting | null {
    const raw = this.settings.getSetting(key(conversation));
    return raw ? (JSON.parse(raw) as TimerSetting) : null;
  }

  /**
   * The timer the phone's contact list names for a contact. With a version it counts as any
   * observation; without one (older phones) it only fills in a conversation with no timer known
   * yet, so it cannot undo a change seen since.
   */
  learnSynced(aci: string, seconds: number, version: number | null): void {
    if (version === null && this.known(aci) !== null) return;
    this.learn({ conversation: aci, seconds, version });
  }

  /** A received message's timer, applied when it is not older than what is known. */
  learn(seen: TimerObservation): void {
    const known = this.get(seen.conversation);
    if (seen.version !== null && seen.version < known.version) return;
    const next = { seconds: seen.seconds, version: seen.version ?? known.version };
    if (next.seconds !== known.seconds || next.version !== known.version) this.put(seen.conversation, next);
  }

  /** This account changes the timer: a new version, announced by the caller. */
  change(conversation: string, seconds: number): TimerSetting {
    const next = { seconds, version: this.get(conversation).version + 1 };
    this.put(conversation, next);
    return next;
  }

  private put(conversation: string, setting: TimerSetting): void {
    this.settings.setSetting(key(conversation), JSON.stringify(setting));
  }
}

function key(conversation: string): string {
  return `timer:${conversation}`;
}
