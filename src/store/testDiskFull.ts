// Test hook, honoured only when SIGSOCK_TEST_DISK_FULL_FILE names a file: while that file exists,
// the account database behaves as on a full disk. Nothing is faked: a BEFORE trigger on every table
// makes each write also insert a 64 KiB filler row, and max_page_count pins the database at its
// current size with its free pages used up, so SQLite's pager itself answers every write with
// SQLITE_FULL (reads go on, as on a full disk). Removing the file drops the triggers, the filler
// and the limit. The e2e test of docs/reliability.md ("Disk full") drives it; CI cannot mount a
// small tmpfs everywhere.
import { existsSync, unwatchFile, watchFile } from 'node:fs';
import type { Db } from './database.js';
import { isSqliteFull } from './diskFull.js';

const FILLER = 'sigsock_test_disk_filler';
const POLL_MS = 50;

export function honourTestDiskFull(db: Db): void {
  const flagFile = process.env.SIGSOCK_TEST_DISK_FULL_FILE;
  if (!flagFile) return;
  const normalLimit = Number(db.pragma('max_page_count', { simple: true }));
  let full = false;
  const apply = () => {
    const wanted = existsSync(flagFile);
    if (wanted === full) return;
    try {
      if (wanted) fill(db);
      else free(db, normalLimit);
      full = wanted;
      // The test waits for this line: the state it asked for holds from here on.
      process.stderr.write(`test disk-full hook: the database is ${full ? 'full' : 'writable again'}\n`);
    } catch (err) {
      // The database was closed (the account stopped): nothing left to fill or free.
      unwatchFile(flagFile, apply);
      process.stderr.write(`test disk-full hook stopped: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  };
  apply();
  watchFile(flagFile, { persistent: false, interval: POLL_MS }, apply);
}

function fill(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS main.${FILLER} (b BLOB)`);
  const tables = db
    .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .all()
    .map((r) => String(r.name))
    .filter((name) => name !== FILLER);
  for (const table of tables) {
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      db.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS ${FILLER}_${table}_${op} BEFORE ${op} ON main."${table}" ` +
          `BEGIN INSERT INTO main.${FILLER} VALUES (zeroblob(65536)); END`,
      );
    }
  }
  db.pragma(`max_page_count = ${Number(db.pragma('page_count', { simple: true }))}`);
  // Use up the free pages, so that the next page any write needs is one the database cannot have.
  for (const size of [1 << 20, 1 << 16, 1 << 12, 1 << 10, 1 << 8]) {
    for (;;) {
      try {
        db.prepare(`INSERT INTO main.${FILLER} VALUES (zeroblob(?))`).run([size]);
      } catch (err) {
        if (isSqliteFull(err)) break;
        throw err;
      }
    }
  }
}

function free(db: Db, normalLimit: number): void {
  const triggers = db.prepare(`SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE '${FILLER}_%'`).all();
  for (const t of triggers) db.exec(`DROP TRIGGER temp."${String(t.name)}"`);
  db.pragma(`max_page_count = ${normalLimit}`);
  db.exec(`DROP TABLE IF EXISTS main.${FILLER}`);
}
