// Senders' profile names, fetched in the background after a commit that brought (or needs) one:
// never on the receive path, never while a client waits. One fetch at a time per account; a
// sender is fetched once per profile key (a new key clears the old name in the store first).
import type { ChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import { fetchContactProfile } from '../signal/contactProfile.js';
import type { Recipients } from '../store/recipients.js';
import type { Log } from '../util/log.js';

export interface ProfileNamesDeps {
  recipients: Pick<Recipients, 'byAci' | 'setProfileName'>;
  chat(): Promise<ChatConnection>;
  log: Log;
  /** After a name was stored (tests wait on it). */
  onStored?(aci: string): void;
}

export class ProfileNames {
  private readonly tried = new Set<string>();
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: ProfileNamesDeps) {}

  /** Fetches `aci`'s profile name when their profile key is known and no name was read with it yet. */
  want(aci: string): void {
    if (this.stopped) return;
    const recipient = this.deps.recipients.byAci(aci);
    if (!recipient?.profileKey || recipient.profileName !== null) return;
    const attempt = `${aci}:${Buffer.from(recipient.profileKey).toString('hex')}`;
    if (this.tried.has(attempt)) return;
    this.tried.add(attempt);
    const profileKey = recipient.profileKey;
    this.queue = this.queue.then(() => this.fetch(aci, profileKey));
  }

  /** Waits for the fetch under way; none starts after this. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
  }

  private async fetch(aci: string, profileKey: Uint8Array): Promise<void> {
    if (this.stopped) return;
    try {
      const profile = await fetchContactProfile(await this.deps.chat(), aci, profileKey);
      if (this.stopped || !profile?.name) return;
      if (!this.deps.recipients.setProfileName(aci, profileKey, profile.name)) return;
      this.deps.log('profile: a sender\'s profile name was read');
      this.deps.onStored?.(aci);
    } catch (err) {
      this.deps.log(`profile name fetch failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
