// Opening an account's files: the kernel-held lock, private file modes, a missing key file, and a
// damaged database told apart from a wrong key. Each test leaves what it found on disk unchanged.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AccountStore } from '../../src/store/accountStore.js';
import { checkPages } from '../../src/store/cipherPages.js';
import { accountDbPath } from '../../src/store/dataDirectory.js';
import { DatabaseKeyMissingError, UnreadableDatabaseError } from '../../src/store/databaseErrors.js';
import { AccountLockedError } from '../../src/store/lock.js';
import { textRecord } from '../support/inboxRecords.js';

const NUMBER = '+15551230000';
const OTHER = '+15551239999';
const PAGE = 4096;
const STORE_MODULE = new URL('../../src/store/accountStore.js', import.meta.url).href;

/** A child process that opens the account and keeps it open until killed; resolves once it holds it. */
async function holder(dir: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { AccountStore } from '${STORE_MODULE}';
       AccountStore.open({ dataDir: ${JSON.stringify(dir)}, number: '${NUMBER}', trustMode: 'on-first-use' });
       console.log('opened');
       setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => line === 'opened' && resolve());
    child.once('exit', (code) => reject(new Error(`holder exited (${code}) before opening`)));
  });
  return child;
}

/** What another process gets when it tries to open the account now. */
function openInOtherProcess(dir: string): string {
  const other = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { AccountStore } from '${STORE_MODULE}';
       try { AccountStore.open({ dataDir: ${JSON.stringify(dir)}, number: '${NUMBER}', trustMode: 'on-first-use' }).close(); console.log('opened'); }
       catch (e) { console.log(e.message); }`,
    ],
    { encoding: 'utf8' },
  );
  return other.stdout.trim();
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

const sha256 = (path: string) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'absent');
const modeOf = (path: string) => statSync(path).mode & 0o777;
const firstBody = (store: AccountStore) => (store.inbox.readyEntries(1, new Set())[0]?.entry as { body?: string } | undefined)?.body;

describe('account files', () => {
  let dir: string;
  let store: AccountStore | undefined;
  const open = (options: { key?: string } = {}) => AccountStore.open({ dataDir: dir, number: NUMBER, trustMode: 'on-first-use', ...options });
  const dbPath = () => accountDbPath(dir, NUMBER);
  const lockPath = () => `${dbPath()}.lock`;

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'sigsock-files-')), 'data');
    store = AccountStore.create({ dataDir: dir, number: NUMBER, trustMode: 'on-first-use' });
    store.inbox.insertEntry(textRecord('kept'), []);
  });
  afterEach(() => {
    store?.close();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  describe('the account lock', () => {
    it('refuses a second open in the same process and in another one, naming the owner', () => {
      assert.throws(() => open(), (err) => err instanceof AccountLockedError && err.ownerPid === process.pid);
      // The refused attempt must not have dropped the lock this process holds.
      assert.equal(openInOtherProcess(dir), `account ${NUMBER} is in use by another sigsock process (pid ${process.pid}); stop it first`);
    });

    it('does not trust a pid: a lock file naming a live unrelated process does not block', async () => {
      store!.close();
      const unrelated = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      try {
        // The pid file an older sigsock wrote.
        writeFileSync(lockPath(), `${unrelated.pid}\n`);
        store = open();
        assert.equal(firstBody(store), 'kept');
        assert.match(openInOtherProcess(dir), new RegExp(`in use by another sigsock process \\(pid ${process.pid}\\)`));
      } finally {
        await killed(unrelated);
      }
    });

    it('is released by the kernel when its owner is killed', async () => {
      store!.close();
      const child = await holder(dir);
      assert.match(openInOtherProcess(dir), new RegExp(`\\(pid ${child.pid}\\)`));
      assert.throws(() => open(), AccountLockedError);
      await killed(child);
      store = open();
      assert.equal(firstBody(store), 'kept');
    });
  });

  it('creates the database, its -wal and -shm and the lock 0600, and narrows older ones to 0600', () => {
    for (const path of [dbPath(), `${dbPath()}-wal`, `${dbPath()}-shm`, lockPath()]) assert.equal(modeOf(path), 0o600, path);
    store!.close();
    store = undefined;
    for (const path of [dbPath(), lockPath()]) chmodSync(path, 0o644);
    store = open();
    for (const path of [dbPath(), `${dbPath()}-wal`, `${dbPath()}-shm`, lockPath()]) assert.equal(modeOf(path), 0o600, path);
  });

  describe('a missing key file', () => {
    it('is never replaced by a new key while a database needs it; SIGSOCK_DB_KEY opens the database', () => {
      store!.close();
      store = undefined;
      const keyFile = join(dir, 'db.key');
      const key = readFileSync(keyFile, 'utf8').trim();
      renameSync(keyFile, join(dir, '..', 'db.key.saved'));
      const before = sha256(dbPath());
      assert.throws(
        () => open(),
        (err) =>
          err instanceof DatabaseKeyMissingError &&
          err.message.includes(`the database key file ${keyFile} is missing, but ${dbPath()} exists`) &&
          err.message.includes('SIGSOCK_DB_KEY'),
      );
      // Nor for a new account beside it: the old database would be left without its key.
      assert.throws(() => AccountStore.create({ dataDir: dir, number: OTHER, trustMode: 'on-first-use' }), DatabaseKeyMissingError);
      assert.equal(existsSync(keyFile), false, 'no key file was written');
      assert.equal(existsSync(accountDbPath(dir, OTHER)), false);
      assert.equal(sha256(dbPath()), before);

      process.env.SIGSOCK_DB_KEY = key;
      try {
        store = open();
      } finally {
        delete process.env.SIGSOCK_DB_KEY;
      }
      assert.equal(firstBody(store), 'kept');
    });

    it('is created for the first database of a data directory', () => {
      const fresh = join(dir, '..', 'fresh');
      mkdirSync(fresh, { mode: 0o700 });
      AccountStore.create({ dataDir: fresh, number: OTHER, trustMode: 'on-first-use' }).close();
      assert.equal(modeOf(join(fresh, 'db.key')), 0o600);
    });
  });

  describe('a damaged database', () => {
    it('with a damaged first page says so, where it is, and that nothing was changed', () => {
      store!.close();
      store = undefined;
      const original = readFileSync(dbPath());
      assert.ok(original.length > 2 * PAGE, 'the test needs a database of several pages');
      const damaged = Buffer.from(original);
      damaged.fill(0x55, 1000, 1100);
      writeFileSync(dbPath(), damaged);
      assert.throws(
        () => open(),
        (err) =>
          err instanceof UnreadableDatabaseError &&
          err.reason === 'first-page-damaged' &&
          err.message.startsWith(`the database ${dbPath()} is damaged`) &&
          err.message.includes('sigsock changed nothing in it'),
      );
      assert.ok(readFileSync(dbPath()).equals(damaged), 'the file is as it was');
      assert.equal(existsSync(`${dbPath()}-wal`), false, 'no WAL was started');
      // The wrong key is still told apart from damage.
      assert.throws(() => open({ key: 'ab'.repeat(32) }), (err) => err instanceof UnreadableDatabaseError && err.reason === 'no-page-authenticates');

      writeFileSync(dbPath(), original);
      store = open();
      assert.equal(firstBody(store), 'kept');
    });

    it('is recognised from the WAL when a crash left the pages there', () => {
      // A copy of the files as a killed daemon leaves them: most pages are still only in the WAL.
      const copy = join(dir, '..', 'copy.db');
      for (const suffix of ['', '-wal']) assert.equal(spawnSync('cp', [`${dbPath()}${suffix}`, `${copy}${suffix}`]).status, 0);
      assert.ok(statSync(`${copy}-wal`).size > PAGE, 'the WAL holds pages');
      const key = readFileSync(join(dir, 'db.key'), 'utf8').trim();
      const bytes = readFileSync(copy);
      bytes.fill(0x55, 1000, 1100);
      writeFileSync(copy, bytes);
      assert.equal(checkPages(copy, key), 'first-page-damaged');
      assert.equal(checkPages(copy, 'ab'.repeat(32)), 'no-page-authenticates');
    });
  });
});
