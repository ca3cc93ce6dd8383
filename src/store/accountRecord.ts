// The account itself (who we are to the server) and small settings, as key-value rows.
import type { Db } from './database.js';

export interface AccountRecord {
  aci: string;
  pni: string;
  number: string;
  deviceId: number;
  password: string;
  aciRegistrationId: number;
  pniRegistrationId: number;
  aciIdentityKey: Uint8Array;
  pniIdentityKey: Uint8Array;
  profileKey: Uint8Array | null;
  masterKey: Uint8Array | null;
  accountEntropyPool: string | null;
}

const RECORD_KEY = 'record';
const BYTES = ['aciIdentityKey', 'pniIdentityKey', 'profileKey', 'masterKey'] as const;

export class AccountRecordStore {
  private cached: AccountRecord | undefined;

  constructor(private readonly db: Db) {}

  getAccount(): AccountRecord | undefined {
    if (this.cached) return this.cached;
    const raw = this.getSetting(RECORD_KEY);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    for (const field of BYTES) {
      const v = parsed[field];
      parsed[field] = typeof v === 'string' ? new Uint8Array(Buffer.from(v, 'base64')) : null;
    }
    this.cached = parsed as unknown as AccountRecord;
    return this.cached;
  }

  saveAccount(record: AccountRecord): void {
    const json: Record<string, unknown> = { ...record };
    for (const field of BYTES) {
      const v = record[field];
      json[field] = v ? Buffer.from(v).toString('base64') : null;
    }
    this.setSetting(RECORD_KEY, JSON.stringify(json));
    this.cached = record;
  }

  getSetting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM account WHERE key = ?').get([key]);
    return row ? String(row.value) : undefined;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO account (key, value) VALUES (?, ?)').run([key, value]);
  }
}
