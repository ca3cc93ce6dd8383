// Phone number → ACI: first what the account has learned (contact sync, sealed-sender
// certificates, sync transcripts), then contact discovery (CDSI) where the server offers it.
import { MessengerError } from './errors.js';
import { isUuid } from './serviceIds.js';

export interface KnownRecipient {
  aci: string;
  e164: string | null;
  profileKey: Uint8Array | null;
}

export interface RecipientResolverDeps {
  byE164(e164: string): KnownRecipient | undefined;
  byAci(aci: string): KnownRecipient | undefined;
  /** Resolves once a contact sync that is under way has been applied (or at once). */
  contactSyncSettled(): Promise<void>;
  /** Contact discovery; null when this server has none. */
  discover: ((e164: string) => Promise<string | null>) | null;
  remember(aci: string, e164: string): void;
}

export class RecipientResolver {
  constructor(private readonly deps: RecipientResolverDeps) {}

  async resolve(recipient: string): Promise<KnownRecipient> {
    if (isUuid(recipient)) {
      const aci = recipient.toLowerCase();
      return this.deps.byAci(aci) ?? { aci, e164: null, profileKey: null };
    }
    let known = this.deps.byE164(recipient);
    if (known) return known;
    await this.deps.contactSyncSettled();
    known = this.deps.byE164(recipient);
    if (known) return known;
    if (this.deps.discover) {
      let aci: string | null;
      try {
        aci = await this.deps.discover(recipient);
      } catch (err) {
        throw new MessengerError('NETWORK', `contact discovery for ${recipient} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      if (aci) {
        this.deps.remember(aci, recipient);
        return this.deps.byE164(recipient) ?? { aci, e164: recipient, profileKey: null };
      }
      throw new MessengerError('INVALID_NUMBER', `${recipient} is not on Signal: contact discovery knows no account with this number`);
    }
    throw new MessengerError(
      'INVALID_NUMBER',
      `${recipient} is not on Signal as far as this account knows: not in the contacts synced from the phone, and this server offers no contact discovery`,
    );
  }
}

/** A recipients-table row as the resolver and the senders use it. */
export function knownRecipient(row: { aci: string; e164: string | null; profileKey: Uint8Array | null } | undefined): KnownRecipient | undefined {
  return row ? { aci: row.aci, e164: row.e164, profileKey: row.profileKey } : undefined;
}
