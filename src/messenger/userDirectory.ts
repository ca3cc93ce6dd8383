// "Is this number on Signal?": contact discovery asked fresh for each lookup (a number known from
// contact sync may have left Signal since), and what it answers remembered for sending.
import type { UserStatus } from './api.js';
import { MessengerError } from './errors.js';

export interface UserDirectoryDeps {
  /** Contact discovery; null when this server has none. */
  discover: ((e164s: string[]) => Promise<Map<string, string | null>>) | null;
  remember(aci: string, e164: string): void;
}

export class UserDirectory {
  constructor(private readonly deps: UserDirectoryDeps) {}

  async status(numbers: string[]): Promise<UserStatus[]> {
    if (!this.deps.discover) {
      throw new MessengerError('NETWORK', 'this server offers no contact discovery, so whether a number is on Signal cannot be asked');
    }
    const unique = [...new Set(numbers)];
    let found: Map<string, string | null>;
    try {
      found = await this.deps.discover(unique);
    } catch (err) {
      throw new MessengerError('NETWORK', `contact discovery failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    return unique.map((recipient) => {
      const aci = found.get(recipient) ?? null;
      if (aci) this.deps.remember(aci, recipient);
      return { recipient, uuid: aci, isRegistered: aci !== null };
    });
  }
}
