// Everything stored for one account, opened together: the database (under the account lock),
// the account record, protocol stores, inbox, recipients and groups.
import { PendingSyncCopies } from './pendingSync.js';
import { existsSync, rmSync } from 'node:fs';
import { AccountLock } from './lock.js';
import { AccountRecordStore } from './accountRecord.js';
import { BlockList } from './blockList.js';
import { accountDbPath, ensureDataDir, loadDbKey } from './dataDirectory.js';
import { blob, openDatabase, type Db } from './database.js';
import { Groups } from './groups.js';
import { Inbox } from './inbox.js';
import { InboxFiles, inboxFilesDirectory } from './inboxFiles.js';
import { OwnPreKeys } from './preKeyStore.js';
import { ProtocolBatch, protocolCacheKey, TrustLevel, type CachedValue, type IdentityKind, type TrustMode } from './protocolStores.js';
import { RecordCache } from './recordCache.js';
import { Recipients } from './recipients.js';

export type { TrustMode, IdentityKind };

export interface OpenStoreOptions {
  dataDir: string;
  number: string;
  trustMode: TrustMode;
  /** 64 hex digits; default: SIGSOCK_DB_KEY or the data directory's key file. */
  key?: string;
}

export interface IdentityInfo {
  address: string;
  publicKey: Uint8Array;
  trust: 'untrusted' | 'trusted' | 'verified';
}

const PROTOCOL_CACHE_ENTRIES = 512;

export class AccountStore {
  readonly account: AccountRecordStore;
  readonly inbox: Inbox;
  readonly recipients: Recipients;
  readonly groups: Groups;
  readonly blockList: BlockList;
  readonly preKeys: OwnPreKeys;
  readonly pendingSync: PendingSyncCopies;
  private closed = false;
  /** Sessions and identities for the protocol batches: a few hundred contacts' worth, ~4 KiB each. */
  private readonly protocolCache = new RecordCache<CachedValue>(PROTOCOL_CACHE_ENTRIES);

  private constructor(
    private readonly db: Db,
    private readonly lock: AccountLock,
    private readonly trustMode: TrustMode,
    attachmentDirectory: string,
  ) {
    this.account = new AccountRecordStore(db);
    this.inbox = new Inbox(db, new InboxFiles(attachmentDirectory));
    // Under the account lock, before anything downloads: blobs of an older version become files,
    // and files a crash left unreferenced are deleted.
    this.inbox.moveBlobsToFiles();
    this.inbox.removeOrphanFiles();
    this.recipients = new Recipients(db);
    this.groups = new Groups(db);
    this.blockList = new BlockList(db);
    this.preKeys = new OwnPreKeys(db, this.account);
    this.pendingSync = new PendingSyncCopies(db);
  }

  static open(options: OpenStoreOptions): AccountStore {
    const path = accountDbPath(options.dataDir, options.number);
    if (!existsSync(path)) {
      throw new Error(`no account ${options.number} in ${options.dataDir}; link one with \`sigsock link\` (or pass --config DIR)`);
    }
    return AccountStore.openPath(path, options);
  }

  /** A new account's store; an existing one for the same number is replaced only with `overwrite`. */
  static create(options: OpenStoreOptions & { overwrite?: boolean }): AccountStore {
    ensureDataDir(options.dataDir);
    const path = accountDbPath(options.dataDir, options.number);
    if (existsSync(path)) {
      if (!options.overwrite) throw new Error(`account ${options.number} already exists in ${options.dataDir}`);
      AccountStore.remove(options.dataDir, options.number);
    }
    return AccountStore.openPath(path, options);
  }

  /** Deletes the account's database; fails while another process has the account open. */
  static remove(dataDir: string, number: string): void {
    const path = accountDbPath(dataDir, number);
    const lock = AccountLock.acquire(`${path}.lock`, number);
    try {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
      new InboxFiles(inboxFilesDirectory(path)).removeAll();
    } finally {
      lock.release();
    }
  }

  private static openPath(path: string, options: OpenStoreOptions): AccountStore {
    ensureDataDir(options.dataDir);
    const lock = AccountLock.acquire(`${path}.lock`, options.number);
    try {
      const db = openDatabase(path, options.key ?? loadDbKey(options.dataDir));
      try {
        return new AccountStore(db, lock, options.trustMode, inboxFilesDirectory(path));
      } catch (err) {
        db.close();
        throw err;
      }
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  protocolBatch(kind: IdentityKind): ProtocolBatch {
    return new ProtocolBatch(
      this.db,
      kind,
      () => {
        const a = this.account.getAccount();
        if (!a) throw new Error('account record missing');
        return kind === 'aci'
          ? { identityKey: a.aciIdentityKey, registrationId: a.aciRegistrationId }
          : { identityKey: a.pniIdentityKey, registrationId: a.pniRegistrationId };
      },
      this.trustMode,
      this.protocolCache,
    );
  }

  /** Devices of `name` we hold a session with. */
  sessionDeviceIds(kind: IdentityKind, name: string): number[] {
    return this.db
      .prepare('SELECT device_id FROM session WHERE kind = ? AND name = ? ORDER BY device_id')
      .all([kind, name])
      .map((r) => Number(r.device_id));
  }

  listIdentities(kind: IdentityKind = 'aci'): IdentityInfo[] {
    const names = ['untrusted', 'trusted', 'verified'] as const;
    return this.db
      .prepare('SELECT address, public_key, trust FROM identity WHERE kind = ? ORDER BY address')
      .all([kind])
      .map((r) => ({ address: String(r.address), publicKey: r.public_key as Uint8Array, trust: names[Number(r.trust)] ?? 'untrusted' }));
  }

  /** Accepts the current key of `address` for sending. Returns false when no key is known. */
  trustIdentity(address: string, verified = false, kind: IdentityKind = 'aci'): boolean {
    this.protocolCache.delete(protocolCacheKey(kind, `identity:${address}`));
    const { changes } = this.db
      .prepare('UPDATE identity SET trust = ?, updated_at = ? WHERE kind = ? AND address = ?')
      .run([verified ? TrustLevel.TRUSTED_VERIFIED : TrustLevel.TRUSTED_UNVERIFIED, Date.now(), kind, address]);
    return changes > 0;
  }

  /** Records a key we refused to send to, marked untrusted, replacing the old one. */
  noteUntrustedIdentity(address: string, publicKey: Uint8Array, kind: IdentityKind = 'aci'): void {
    this.protocolCache.delete(protocolCacheKey(kind, `identity:${address}`));
    this.db
      .prepare('INSERT OR REPLACE INTO identity (kind, address, public_key, trust, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run([kind, address, blob(publicKey), TrustLevel.UNTRUSTED, Date.now()]);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
    this.lock.release();
  }
}
