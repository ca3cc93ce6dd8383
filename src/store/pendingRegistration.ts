// The verification session between `register` and `verify` (separate runs): a small 0600 file
// beside the account databases, deleted once the account exists.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDataDir } from './dataDirectory.js';

export interface PendingRegistration {
  sessionId: string;
  /** ms since the epoch: Signal's sessions last minutes to hours, so old ones are worth a hint. */
  createdAt: number;
  /**
   * Which Signal service the session lives on (the caller's name for it). A session id means
   * nothing to another server, and a verify sent to the wrong one would reach production with a
   * sandbox's code. Absent in files written before it was recorded.
   */
  server?: string;
}

function pathOf(dataDir: string, number: string): string {
  return join(dataDir, `registration-${number.replace(/^\+/, '')}.json`);
}

export function readPendingRegistration(dataDir: string, number: string): PendingRegistration | null {
  const path = pathOf(dataDir, number);
  if (!existsSync(path)) return null;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<PendingRegistration>;
    if (typeof parsed.sessionId !== 'string') return null;
    return { sessionId: parsed.sessionId, createdAt: Number(parsed.createdAt) || 0, ...(typeof parsed.server === 'string' ? { server: parsed.server } : {}) };
  } catch {
    return null;
  }
}

export function savePendingRegistration(dataDir: string, number: string, sessionId: string, server: string): void {
  ensureDataDir(dataDir);
  const pending: PendingRegistration = { sessionId, createdAt: Date.now(), server };
  writeFileSync(pathOf(dataDir, number), JSON.stringify(pending) + '\n', { mode: 0o600 });
}

export function clearPendingRegistration(dataDir: string, number: string): void {
  rmSync(pathOf(dataDir, number), { force: true });
}
