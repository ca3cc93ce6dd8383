// The first store of an account this process just joined, by linking or by registering.
import type { AccountCredentials } from '../signal/accountCredentials.js';
import { AccountStore, type TrustMode } from '../store/accountStore.js';

export function saveNewAccount(dataDir: string, account: AccountCredentials, trustMode: TrustMode): void {
  const store = AccountStore.create({ dataDir, number: account.number, trustMode, overwrite: true });
  try {
    store.transaction(() => {
      store.account.saveAccount({
        aci: account.aci,
        pni: account.pni,
        number: account.number,
        deviceId: account.deviceId,
        password: account.password,
        aciRegistrationId: account.aciKeys.registrationId,
        pniRegistrationId: account.pniKeys.registrationId,
        aciIdentityKey: account.aciKeys.identityKey.serialize(),
        pniIdentityKey: account.pniKeys.identityKey.serialize(),
        profileKey: account.profileKey,
        masterKey: account.masterKey,
        accountEntropyPool: account.accountEntropyPool,
      });
      for (const [kind, keys] of [['aci', account.aciKeys], ['pni', account.pniKeys]] as const) {
        store.preKeys.storeSignedPreKey(kind, keys.signedPreKey);
        store.preKeys.storeLastResortKyberPreKey(kind, keys.kyberLastResort);
      }
    });
  } finally {
    store.close();
  }
}
