// libsignal's stores on the account database. Every protocol operation runs on a batch: its
// writes are held in memory (reads see them) until `commit`, which writes them, together with
// whatever else belongs to the same step (an inbox entry), in one SQLite transaction.
import {
  Direction,
  IdentityChange,
  IdentityKeyStore,
  KyberPreKeyRecord,
  KyberPreKeyStore,
  PreKeyRecord,
  PreKeyStore,
  PrivateKey,
  ProtocolAddress,
  PublicKey,
  SenderKeyRecord,
  SenderKeyStore,
  SessionRecord,
  SessionStore,
  SignedPreKeyRecord,
  SignedPreKeyStore,
  type Uuid,
} from '@signalapp/libsignal-client';
import { blob, type Db, type SqlValue } from './database.js';

export type IdentityKind = 'aci' | 'pni';
export type TrustMode = 'on-first-use' | 'always' | 'never';

export const TrustLevel = { UNTRUSTED: 0, TRUSTED_UNVERIFIED: 1, TRUSTED_VERIFIED: 2 } as const;

export interface LocalIdentityKeys {
  identityKey: Uint8Array;
  registrationId: number;
}

type Write = { sql: string; params: SqlValue[] };

interface IdentityRow {
  public_key: Uint8Array;
  trust: number;
}

/** The libsignal stores one protocol operation needs. */
export interface ProtocolStoreSet {
  identity: IdentityKeyStore;
  session: SessionStore;
  preKey: PreKeyStore;
  signedPreKey: SignedPreKeyStore;
  kyberPreKey: KyberPreKeyStore;
  senderKey: SenderKeyStore;
}

/** The libsignal stores for one operation; writes wait for `commit`. */
export class ProtocolBatch {
  private readonly writes = new Map<string, Write>();
  /** Values written in this batch (null: deleted), by cache key. */
  private readonly overlay = new Map<string, Uint8Array | IdentityRow | null>();
  readonly stores: ProtocolStoreSet;

  constructor(
    private readonly db: Db,
    readonly kind: IdentityKind,
    local: () => LocalIdentityKeys,
    trustMode: TrustMode,
  ) {
    // The libsignal store classes below share this batch's overlay and write list.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const batch = this;
    this.stores = {
      identity: new (class extends IdentityKeyStore {
        async getIdentityKey() {
          return PrivateKey.deserialize(new Uint8Array(local().identityKey));
        }
        async getLocalRegistrationId() {
          return local().registrationId;
        }
        async saveIdentity(name: ProtocolAddress, key: PublicKey) {
          const existing = batch.identityRow(name.name());
          const serialized = key.serialize();
          if (existing && Buffer.from(existing.public_key).equals(serialized)) return IdentityChange.NewOrUnchanged;
          const trust = existing
            ? trustMode === 'always'
              ? TrustLevel.TRUSTED_UNVERIFIED
              : TrustLevel.UNTRUSTED
            : trustMode === 'never'
              ? TrustLevel.UNTRUSTED
              : TrustLevel.TRUSTED_UNVERIFIED;
          batch.putIdentity(name.name(), serialized, trust);
          return existing ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged;
        }
        async isTrustedIdentity(name: ProtocolAddress, key: PublicKey, direction: Direction) {
          // Like Signal's apps, we always accept what arrives; only sending waits for trust.
          if (direction === Direction.Receiving) return true;
          const existing = batch.identityRow(name.name());
          if (!existing) return trustMode !== 'never';
          if (!Buffer.from(existing.public_key).equals(key.serialize())) return trustMode === 'always';
          return existing.trust !== TrustLevel.UNTRUSTED;
        }
        async getIdentity(name: ProtocolAddress) {
          const row = batch.identityRow(name.name());
          return row ? PublicKey.deserialize(new Uint8Array(row.public_key)) : null;
        }
      })(),
      session: new (class extends SessionStore {
        async saveSession(name: ProtocolAddress, record: SessionRecord) {
          batch.put(`session:${name.name()}.${name.deviceId()}`, record.serialize(), {
            sql: 'INSERT OR REPLACE INTO session (kind, name, device_id, record) VALUES (?, ?, ?, ?)',
            params: [batch.kind, name.name(), name.deviceId(), record.serialize()],
          });
        }
        async getSession(name: ProtocolAddress) {
          const bytes = batch.get(`session:${name.name()}.${name.deviceId()}`, 'SELECT record FROM session WHERE kind = ? AND name = ? AND device_id = ?', [
            batch.kind,
            name.name(),
            name.deviceId(),
          ]);
          return bytes ? SessionRecord.deserialize(new Uint8Array(bytes)) : null;
        }
        async getExistingSessions(addresses: ProtocolAddress[]) {
          const out: SessionRecord[] = [];
          for (const address of addresses) {
            const record = await this.getSession(address);
            if (!record) throw new Error(`no session for ${address.toString()}`);
            out.push(record);
          }
          return out;
        }
      })(),
      preKey: new (class extends PreKeyStore {
        async savePreKey(id: number, record: PreKeyRecord) {
          batch.put(`prekey:${id}`, record.serialize(), {
            sql: 'INSERT OR REPLACE INTO prekey (kind, id, record) VALUES (?, ?, ?)',
            params: [batch.kind, id, record.serialize()],
          });
        }
        async getPreKey(id: number) {
          const bytes = batch.get(`prekey:${id}`, 'SELECT record FROM prekey WHERE kind = ? AND id = ?', [batch.kind, id]);
          if (!bytes) throw new Error(`no prekey ${id}`);
          return PreKeyRecord.deserialize(new Uint8Array(bytes));
        }
        async removePreKey(id: number) {
          batch.put(`prekey:${id}`, null, { sql: 'DELETE FROM prekey WHERE kind = ? AND id = ?', params: [batch.kind, id] });
        }
      })(),
      signedPreKey: new (class extends SignedPreKeyStore {
        async saveSignedPreKey(id: number, record: SignedPreKeyRecord) {
          batch.put(`signed:${id}`, record.serialize(), {
            sql: 'INSERT OR REPLACE INTO signed_prekey (kind, id, record) VALUES (?, ?, ?)',
            params: [batch.kind, id, record.serialize()],
          });
        }
        async getSignedPreKey(id: number) {
          const bytes = batch.get(`signed:${id}`, 'SELECT record FROM signed_prekey WHERE kind = ? AND id = ?', [batch.kind, id]);
          if (!bytes) throw new Error(`no signed prekey ${id}`);
          return SignedPreKeyRecord.deserialize(new Uint8Array(bytes));
        }
      })(),
      kyberPreKey: new (class extends KyberPreKeyStore {
        async saveKyberPreKey(id: number, record: KyberPreKeyRecord) {
          batch.put(`kyber:${id}`, record.serialize(), {
            sql: 'INSERT OR REPLACE INTO kyber_prekey (kind, id, record, last_resort) VALUES (?, ?, ?, 0)',
            params: [batch.kind, id, record.serialize()],
          });
        }
        async getKyberPreKey(id: number) {
          const bytes = batch.get(`kyber:${id}`, 'SELECT record FROM kyber_prekey WHERE kind = ? AND id = ?', [batch.kind, id]);
          if (!bytes) throw new Error(`no kyber prekey ${id}`);
          return KyberPreKeyRecord.deserialize(new Uint8Array(bytes));
        }
        async markKyberPreKeyUsed(id: number, signedPreKeyId: number, baseKey: PublicKey) {
          const row = batch.db.prepare('SELECT last_resort FROM kyber_prekey WHERE kind = ? AND id = ?').get([batch.kind, id]);
          if (row && row.last_resort === 1) {
            // Last-resort keys stay; a second use with the same base key would be a replay.
            const base = baseKey.serialize();
            const useKey = `kyberuse:${id}:${signedPreKeyId}:${Buffer.from(base).toString('hex')}`;
            const seen =
              batch.overlay.has(useKey) ||
              batch.db
                .prepare('SELECT 1 AS x FROM kyber_prekey_use WHERE kind = ? AND id = ? AND signed_id = ? AND base_key = ?')
                .get([batch.kind, id, signedPreKeyId, base]) !== undefined;
            if (seen) throw new Error(`kyber prekey ${id} was already used with this base key`);
            batch.put(useKey, base, {
              sql: 'INSERT INTO kyber_prekey_use (kind, id, signed_id, base_key) VALUES (?, ?, ?, ?)',
              params: [batch.kind, id, signedPreKeyId, base],
            });
          } else {
            batch.put(`kyber:${id}`, null, { sql: 'DELETE FROM kyber_prekey WHERE kind = ? AND id = ?', params: [batch.kind, id] });
          }
        }
      })(),
      senderKey: new (class extends SenderKeyStore {
        async saveSenderKey(sender: ProtocolAddress, distributionId: Uuid, record: SenderKeyRecord) {
          const id = String(distributionId);
          batch.put(`senderkey:${sender.name()}.${sender.deviceId()}:${id}`, record.serialize(), {
            sql: 'INSERT OR REPLACE INTO sender_key (name, device_id, distribution_id, record) VALUES (?, ?, ?, ?)',
            params: [sender.name(), sender.deviceId(), id, record.serialize()],
          });
        }
        async getSenderKey(sender: ProtocolAddress, distributionId: Uuid) {
          const id = String(distributionId);
          const bytes = batch.get(
            `senderkey:${sender.name()}.${sender.deviceId()}:${id}`,
            'SELECT record FROM sender_key WHERE name = ? AND device_id = ? AND distribution_id = ?',
            [sender.name(), sender.deviceId(), id],
          );
          return bytes ? SenderKeyRecord.deserialize(new Uint8Array(bytes)) : null;
        }
      })(),
    };
  }

  /** Writes everything buffered, plus `also`, in one transaction. */
  commit(also?: () => void): void {
    const writes = [...this.writes.values()];
    this.writes.clear();
    this.overlay.clear();
    this.db.transaction(() => {
      for (const w of writes) this.db.prepare(w.sql).run(w.params);
      also?.();
    })();
  }

  discard(): void {
    this.writes.clear();
    this.overlay.clear();
  }

  private put(cacheKey: string, value: Uint8Array | null, write: Write): void {
    this.overlay.set(cacheKey, value);
    // Deleting then re-inserting the same key must keep both statements in order.
    this.writes.delete(cacheKey);
    this.writes.set(cacheKey, write);
  }

  private get(cacheKey: string, sql: string, params: (string | number)[]): Uint8Array | null {
    if (this.overlay.has(cacheKey)) return this.overlay.get(cacheKey) as Uint8Array | null;
    const row = this.db.prepare(sql).get(params);
    return row ? (row.record as Uint8Array) : null;
  }

  private identityRow(address: string): IdentityRow | undefined {
    const key = `identity:${address}`;
    if (this.overlay.has(key)) return (this.overlay.get(key) as IdentityRow | null) ?? undefined;
    return this.db.prepare('SELECT public_key, trust FROM identity WHERE kind = ? AND address = ?').get([this.kind, address]) as IdentityRow | undefined;
  }

  private putIdentity(address: string, publicKey: Uint8Array, trust: number): void {
    const key = `identity:${address}`;
    this.overlay.set(key, { public_key: publicKey, trust });
    this.writes.delete(key);
    this.writes.set(key, {
      sql: 'INSERT OR REPLACE INTO identity (kind, address, public_key, trust, updated_at) VALUES (?, ?, ?, ?, ?)',
      params: [this.kind, address, blob(publicKey), trust, Date.now()],
    });
  }
}
