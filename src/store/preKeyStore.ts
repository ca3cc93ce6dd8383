// Bookkeeping for our own prekeys: id allocation and storing what we upload.
import type { KyberPreKeyRecord, PreKeyRecord, SignedPreKeyRecord } from '@signalapp/libsignal-client';
import type { AccountRecordStore } from './accountRecord.js';
import type { Db } from './database.js';
import type { IdentityKind } from './protocolStores.js';

const MAX_ID = 0xffffff;

export class OwnPreKeys {
  constructor(
    private readonly db: Db,
    private readonly settings: AccountRecordStore,
  ) {}

  /** Reserves `count` consecutive ids for EC and for Kyber one-time keys. */
  reserveIds(kind: IdentityKind, count: number): { preKeyId: number; kyberPreKeyId: number } {
    const next = (name: string) => {
      const key = `${kind}.${name}`;
      const current = Number(this.settings.getSetting(key) ?? 1 + Math.floor(Math.random() * (MAX_ID / 2)));
      const after = ((current - 1 + count) % MAX_ID) + 1;
      this.settings.setSetting(key, String(after));
      return current;
    };
    return this.db.transaction(() => ({ preKeyId: next('nextPreKeyId'), kyberPreKeyId: next('nextKyberPreKeyId') }))();
  }

  storeOneTimeKeys(kind: IdentityKind, preKeys: PreKeyRecord[], kyberPreKeys: KyberPreKeyRecord[]): void {
    this.db.transaction(() => {
      const pre = this.db.prepare('INSERT OR REPLACE INTO prekey (kind, id, record) VALUES (?, ?, ?)');
      for (const k of preKeys) pre.run([kind, k.id(), k.serialize()]);
      const kyber = this.db.prepare('INSERT OR REPLACE INTO kyber_prekey (kind, id, record, last_resort) VALUES (?, ?, ?, 0)');
      for (const k of kyberPreKeys) kyber.run([kind, k.id(), k.serialize()]);
    })();
  }

  storeSignedPreKey(kind: IdentityKind, record: SignedPreKeyRecord): void {
    this.db.prepare('INSERT OR REPLACE INTO signed_prekey (kind, id, record) VALUES (?, ?, ?)').run([kind, record.id(), record.serialize()]);
  }

  storeLastResortKyberPreKey(kind: IdentityKind, record: KyberPreKeyRecord): void {
    this.db.prepare('INSERT OR REPLACE INTO kyber_prekey (kind, id, record, last_resort) VALUES (?, ?, ?, 1)').run([kind, record.id(), record.serialize()]);
  }

  countOneTimeKeys(kind: IdentityKind): { preKeys: number; kyberPreKeys: number } {
    const pre = this.db.prepare('SELECT count(*) AS n FROM prekey WHERE kind = ?').get([kind]);
    const kyber = this.db.prepare('SELECT count(*) AS n FROM kyber_prekey WHERE kind = ? AND last_resort = 0').get([kind]);
    return { preKeys: Number(pre?.n ?? 0), kyberPreKeys: Number(kyber?.n ?? 0) };
  }
}
