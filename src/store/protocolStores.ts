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
import type { RecordCache } from './recordCache.js';

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
  private readonly overlay = new Map<string, CachedValue>();
  readonly stores: ProtocolStoreSet;

  constructor(
    readonly db: Db,
    readonly kind: IdentityKind,
    readonly local: () => LocalIdentityKeys,
    readonly trustMode: TrustMode,
    /** Committed sessions and identities, shared by the account's batches (write-through). */
    private readonly cache: RecordCache<CachedValue>,
  ) {
    this.stores = {
      identity: new BatchIdentityStore(this),
      session: new BatchSessionStore(this),
      preKey: new BatchPreKeyStore(this),
      signedPreKey: new BatchSignedPreKeyStore(this),
      kyberPreKey: new BatchKyberPreKeyStore(this),
      senderKey: new BatchSenderKeyStore(this),
    };
  }

  /** Writes everything buffered, plus `also`, in one transaction. */
  commit(also?: () => void): void {
    const writes = [...this.writes.values()];
    const written = [...this.writes.keys()].map((key) => [key, this.overlay.get(key) ?? null] as const);
    this.writes.clear();
    this.overlay.clear();
    this.db.transaction(() => {
      for (const w of writes) this.db.prepare(w.sql).run(w.params);
      also?.();
    })();
    // Only once the transaction held: the cache never runs ahead of the database.
    for (const [key, value] of written) {
      const shared = this.sharedKey(key);
      if (shared) this.cache.set(shared, value);
    }
  }

  discard(): void {
    this.writes.clear();
    this.overlay.clear();
  }

  /**
   * Several steps may share one batch and so one commit (group commit on receive): a step that
   * failed undoes only its own writes, and the steps after it read what the ones before it wrote.
   */
  savepoint(): () => void {
    const writes = new Map(this.writes);
    const overlay = new Map(this.overlay);
    return () => {
      this.writes.clear();
      this.overlay.clear();
      for (const [key, write] of writes) this.writes.set(key, write);
      for (const [key, value] of overlay) this.overlay.set(key, value);
    };
  }

  /** For the store classes: buffer a write that readers of this batch see at once. */
  put(cacheKey: string, value: Uint8Array | null, write: Write): void {
    this.overlay.set(cacheKey, value);
    // Deleting then re-inserting the same key must keep both statements in order.
    this.writes.delete(cacheKey);
    this.writes.set(cacheKey, write);
  }

  /** For the store classes: this batch's value, else the committed one. */
  get(cacheKey: string, sql: string, params: (string | number)[]): Uint8Array | null {
    return this.read(cacheKey, () => {
      const row = this.db.prepare(sql).get(params);
      return row ? (row.record as Uint8Array) : null;
    }) as Uint8Array | null;
  }

  hasWritten(cacheKey: string): boolean {
    return this.overlay.has(cacheKey);
  }

  identityRow(address: string): IdentityRow | undefined {
    const row = this.read(`identity:${address}`, () => {
      const found = this.db.prepare('SELECT public_key, trust FROM identity WHERE kind = ? AND address = ?').get([this.kind, address]) as IdentityRow | undefined;
      return found ?? null;
    });
    return (row as IdentityRow | null) ?? undefined;
  }

  putIdentity(address: string, publicKey: Uint8Array, trust: number): void {
    const key = `identity:${address}`;
    this.overlay.set(key, { public_key: publicKey, trust });
    this.writes.delete(key);
    this.writes.set(key, {
      sql: 'INSERT OR REPLACE INTO identity (kind, address, public_key, trust, updated_at) VALUES (?, ?, ?, ?, ?)',
      params: [this.kind, address, blob(publicKey), trust, Date.now()],
    });
  }

  private read(cacheKey: string, fromDb: () => CachedValue): CachedValue {
    if (this.overlay.has(cacheKey)) return this.overlay.get(cacheKey) ?? null;
    const shared = this.sharedKey(cacheKey);
    const cached = shared ? this.cache.get(shared) : undefined;
    if (cached !== undefined) return cached;
    const value = fromDb();
    if (shared) this.cache.set(shared, value);
    return value;
  }

  /** Sessions and identities are read on every message; prekeys and sender keys rarely. */
  private sharedKey(cacheKey: string): string | null {
    return cacheKey.startsWith('session:') || cacheKey.startsWith('identity:') ? protocolCacheKey(this.kind, cacheKey) : null;
  }
}

export type CachedValue = Uint8Array | IdentityRow | null;

/** The key of a session or identity row in the account's shared cache. */
export function protocolCacheKey(kind: IdentityKind, cacheKey: string): string {
  return `${kind}|${cacheKey}`;
}

// The libsignal store classes: views of one batch, sharing its overlay and write list.

class BatchIdentityStore extends IdentityKeyStore {
  constructor(private readonly batch: ProtocolBatch) {
    super();
  }

  async getIdentityKey() {
    return PrivateKey.deserialize(new Uint8Array(this.batch.local().identityKey));
  }
  async getLocalRegistrationId() {
    return this.batch.local().registrationId;
  }
  async saveIdentity(name: ProtocolAddress, key: PublicKey) {
    const existing = this.batch.identityRow(name.name());
    const serialized = key.serialize();
    if (existing && Buffer.from(existing.public_key).equals(serialized)) return IdentityChange.NewOrUnchanged;
    const trust = existing
      ? this.batch.trustMode === 'always'
        ? TrustLevel.TRUSTED_UNVERIFIED
        : TrustLevel.UNTRUSTED
      : this.batch.trustMode === 'never'
        ? TrustLevel.UNTRUSTED
        : TrustLevel.TRUSTED_UNVERIFIED;
    this.batch.putIdentity(name.name(), serialized, trust);
    return existing ? IdentityChange.ReplacedExisting : IdentityChange.NewOrUnchanged;
  }
  async isTrustedIdentity(name: ProtocolAddress, key: PublicKey, direction: Direction) {
    // Like Signal's apps, we always accept what arrives; only sending waits for trust.
    if (direction === Direction.Receiving) return true;
    const existing = this.batch.identityRow(name.name());
    if (!existing) return this.batch.trustMode !== 'never';
    if (!Buffer.from(existing.public_key).equals(key.serialize())) return this.batch.trustMode === 'always';
    return existing.trust !== TrustLevel.UNTRUSTED;
  }
  async getIdentity(name: ProtocolAddress) {
    const row = this.batch.identityRow(name.name());
    return row ? PublicKey.deserialize(new Uint8Array(row.public_key)) : null;
  }
}

class BatchSessionStore extends SessionStore {
  constructor(private readonly batch: ProtocolBatch) {
    super();
  }

  async saveSession(name: ProtocolAddress, record: SessionRecord) {
    const bytes = record.serialize();
    this.batch.put(`session:${name.name()}.${name.deviceId()}`, bytes, {
      sql: 'INSERT OR REPLACE INTO session (kind, name, device_id, record) VALUES (?, ?, ?, ?)',
      params: [this.batch.kind, name.name(), name.deviceId(), bytes],
    });
  }
  async getSession(name: ProtocolAddress) {
    const bytes = this.batch.get(`session:${name.name()}.${name.deviceId()}`, 'SELECT record FROM session WHERE kind = ? AND name = ? AND device_id = ?', [
      this.batch.kind,
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
}

class BatchPreKeyStore extends PreKeyStore {
  constructor(private readonly batch: ProtocolBatch) {
    super();
  }

  async savePreKey(id: number, record: PreKeyRecord) {
    this.batch.put(`prekey:${id}`, record.serialize(), {
      sql: 'INSERT OR REPLACE INTO prekey (kind, id, record) VALUES (?, ?, ?)',
      params: [this.batch.kind, id, record.serialize()],
    });
  }
  async getPreKey(id: number) {
    const bytes = this.batch.get(`prekey:${id}`, 'SELECT record FROM prekey WHERE kind = ? AND id = ?', [this.batch.kind, id]);
    if (!bytes) throw new Error(`no prekey ${id}`);
    return PreKeyRecord.deserialize(new Uint8Array(bytes));
  }
  async removePreKey(id: number) {
    this.batch.put(`prekey:${id}`, null, { sql: 'DELETE FROM prekey WHERE kind = ? AND id = ?', params: [this.batch.kind, id] });
  }
}

class BatchSignedPreKeyStore extends SignedPreKeyStore {
  constructor(private readonly batch: ProtocolBatch) {
    super();
  }

  async saveSignedPreKey(id: number, record: SignedPreKeyRecord) {
    this.batch.put(`signed:${id}`, record.serialize(), {
      sql: 'INSERT OR REPLACE INTO signed_prekey (kind, id, record) VALUES (?, ?, ?)',
      params: [this.batch.kind, id, record.serialize()],
    });
  }
  async getSignedPreKey(id: number) {
    const bytes = this.batch.get(`signed:${id}`, 'SELECT record FROM signed_prekey WHERE kind = ? AND id = ?', [this.batch.kind, id]);
    if (!bytes) throw new Error(`no signed prekey ${id}`);
    return SignedPreKeyRecord.deserialize(new Uint8Array(bytes));
  }
}

class BatchKyberPreKeyStore extends KyberPreKeyStore {
  constructor(private readonly batch: ProtocolBatch) {
    super();
  }

  async saveKyberPreKey(id: number, record: KyberPreKeyRecord) {
    this.batch.put(`kyber:${id}`, record.serialize(), {
      sql: 'INSERT OR REPLACE INTO kyber_prekey (kind, id, record, last_resort) VALUES (?, ?, ?, 0)',
      params: [this.batch.kind, id, record.serialize()],
    });
  }
  async getKyberPreKey(id: number) {
    const bytes = this.batch.get(`kyber:${id}`, 'SELECT record FROM kyber_prekey WHERE kind = ? AND id = ?', [this.batch.kind, id]);
    if (!bytes) throw new Error(`no kyber prekey ${id}`);
    return KyberPreKeyRecord.deserialize(new Uint8Array(bytes));
  }
  async markKyberPreKeyUsed(id: number, signedPreKeyId: number, baseKey: PublicKey) {
    const row = this.batch.db.prepare('SELECT last_resort FROM kyber_prekey WHERE kind = ? AND id = ?').get([this.batch.kind, id]);
    if (row && row.last_resort === 1) {
      // Last-resort keys stay; a second use with the same base key would be a replay.
      const base = baseKey.serialize();
      const useKey = `kyberuse:${id}:${signedPreKeyId}:${Buffer.from(base).toString('hex')}`;
      const seen =
        this.batch.hasWritten(useKey) ||
        this.batch.db
          .prepare('SELECT 1 AS x FROM kyber_prekey_use WHERE kind = ? AND id = ? AND signed_id = ? AND base_key = ?')
          .get([this.batch.kind, id, signedPreKeyId, base]) !== undefined;
      if (seen) throw new Error(`kyber prekey ${id} was already used with this base key`);
      this.batch.put(useKey, base, {
        sql: 'INSERT INTO kyber_prekey_use (kind, id, signed_id, base_key) VALUES (?, ?, ?, ?)',
        params: [this.batch.kind, id, signedPreKeyId, base],
      });
    } else {
      this.batch.put(`kyber:${id}`, null, { sql: 'DELETE FROM kyber_prekey WHERE kind = ? AND id = ?', params: [this.batch.kind, id] });
    }
  }
}

class BatchSenderKeyStore extends SenderKeyStore {
  constructor(private readonly batch: ProtocolBatch) {
    super();
  }

  async saveSenderKey(sender: ProtocolAddress, distributionId: Uuid, record: SenderKeyRecord) {
    const id = String(distributionId);
    this.batch.put(`senderkey:${sender.name()}.${sender.deviceId()}:${id}`, record.serialize(), {
      sql: 'INSERT OR REPLACE INTO sender_key (name, device_id, distribution_id, record) VALUES (?, ?, ?, ?)',
      params: [sender.name(), sender.deviceId(), id, record.serialize()],
    });
  }
  async getSenderKey(sender: ProtocolAddress, distributionId: Uuid) {
    const id = String(distributionId);
    const bytes = this.batch.get(
      `senderkey:${sender.name()}.${sender.deviceId()}:${id}`,
      'SELECT record FROM sender_key WHERE name = ? AND device_id = ? AND distribution_id = ?',
      [sender.name(), sender.deviceId(), id],
    );
    return bytes ? SenderKeyRecord.deserialize(new Uint8Array(bytes)) : null;
  }
}
