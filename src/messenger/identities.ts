// The contacts' identity keys as the account sees them: how far each is trusted, the safety number
// both sides can compare, and accepting a changed key so sends to that contact go through again.
import { Aci, Fingerprint, PrivateKey, PublicKey } from '@signalapp/libsignal-client';
import type { AccountRecord } from '../store/accountRecord.js';
import type { AccountStore } from '../store/accountStore.js';
import { MessengerError } from './errors.js';
import type { RecipientResolver } from './recipientResolver.js';

export interface IdentitySummary {
  number: string | null;
  uuid: string;
  /** `untrusted`: the key changed and sends are blocked until `trust`. */
  trust: 'untrusted' | 'trusted' | 'verified';
  safetyNumber: string | null;
}

export interface IdentitiesDeps {
  store: AccountStore;
  account: () => AccountRecord;
  resolver: RecipientResolver;
}

/** Signal's safety-number format: version 2, over ACIs, 5200 iterations. */
const FINGERPRINT_ITERATIONS = 5200;
const FINGERPRINT_VERSION = 2;

export class Identities {
  constructor(private readonly deps: IdentitiesDeps) {}

  async trust(recipient: string, verified: boolean): Promise<{ aci: string; safetyNumber: string | null }> {
    const known = await this.deps.resolver.resolve(recipient);
    if (!this.deps.store.trustIdentity(known.aci, verified)) {
      throw new MessengerError('INVALID_NUMBER', `no safety number is known for ${recipient} yet: nothing was exchanged with them`);
    }
    return { aci: known.aci, safetyNumber: this.safetyNumber(known.aci) };
  }

  /** Every contact identity key the account has seen, with how far it is trusted. */
  list(): IdentitySummary[] {
    const { store } = this.deps;
    const own = this.deps.account();
    // The account's own keys are in the store too (its other devices use them); they are not a contact.
    return store.listIdentities().filter((i) => i.address !== own.aci && i.address !== own.pni).map((i) => ({
      number: store.recipients.byAci(i.address)?.e164 ?? null,
      uuid: i.address,
      trust: i.trust,
      safetyNumber: this.safetyNumberWith(i.address, i.publicKey),
    }));
  }

  /** The 60-digit number both sides can compare; null when no key of theirs is known. */
  safetyNumber(aci: string): string | null {
    const theirs = this.deps.store.listIdentities().find((i) => i.address === aci);
    return theirs ? this.safetyNumberWith(aci, theirs.publicKey) : null;
  }

  private safetyNumberWith(aci: string, theirKey: Uint8Array): string {
    const account = this.deps.account();
    const ours = PrivateKey.deserialize(new Uint8Array(account.aciIdentityKey)).getPublicKey();
    return Fingerprint.new(
      FINGERPRINT_ITERATIONS,
      FINGERPRINT_VERSION,
      Aci.fromUuid(account.aci).getServiceIdBinary(),
      ours,
      Aci.fromUuid(aci).getServiceIdBinary(),
      PublicKey.deserialize(new Uint8Array(theirKey)),
    )
      .displayableFingerprint()
      .toString();
  }
}
