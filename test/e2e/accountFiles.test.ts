// The account's files through the real CLI and daemon: the lock is the kernel's (a killed daemon,
// even one not yet reaped, or a stale pid never blocks a restart; two live daemons still conflict),
// a missing key file is reported and never replaced, a damaged database is told from a wrong key
// and left as it was, and fatal lines keep the number scrubbed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { accountDbPath } from '../../src/store/dataDirectory.js';
import { scrubNumber } from '../../src/util/log.js';
import { startDaemon } from '../support/daemon.js';
import { BIN, globalArgs, linkedAccount, runCli, type LinkedFixture, type RunResult } from '../support/harness.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The process state letter `ps` shows: Z for a zombie (dead, not yet reaped by its parent). */
const processState = (pid: number) => execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim();

describe('account files through the CLI and the daemon', () => {
  let f: LinkedFixture;
  let scrubbedNumber: string;
  let scrubbedDbName: string;
  const dbPath = () => accountDbPath(f.dataDir, f.number);
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> =>
    runCli([...globalArgs(f.dataDir, f.serverFile), '-a', f.number, ...args], 30_000, { ...process.env, ...env });

  before(async () => {
    f = await linkedAccount();
    scrubbedNumber = scrubNumber(f.number);
    scrubbedDbName = `account-${scrubbedNumber.slice(1)}.db`;
  });
  after(async () => f.close());

  it('two live daemons conflict, with the number scrubbed from the fatal line unless --scrub-log off', async () => {
    const first = await startDaemon(f);
    try {
      const second = await f.run(['socket', '--port', '0']);
      assert.equal(second.code, 1);
      assert.equal(second.stderr, `sigsock: account ${scrubbedNumber} is in use by another sigsock process (pid ${first.process.pid}); stop it first\n`);
      const unscrubbed = await f.run(['--scrub-log', 'off', 'socket', '--port', '0']);
      assert.equal(unscrubbed.code, 1);
      assert.match(unscrubbed.stderr, new RegExp(`account \\${f.number} is in use`));
    } finally {
      assert.equal(await first.stop(), 0);
    }
  });

  it('a SIGKILLed daemon that is not yet reaped, or a lock file naming a live process, does not block a restart', async () => {
    // The daemon's parent is `sleep`, which never reaps it: once killed, it stays a zombie, which a
    // pid check still finds alive.
    const daemonArgs = [BIN, ...globalArgs(f.dataDir, f.serverFile), '-a', f.number, 'socket', '--port', '0'];
    const parent: ChildProcess = spawn('sh', ['-c', '"$0" "$@" 2>&1 & echo "daemon pid $!"; exec sleep 600', process.execPath, ...daemonArgs], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const daemonPid = await new Promise<number>((resolve, reject) => {
        let pid = 0;
        createInterface({ input: parent.stdout! }).on('line', (line) => {
          pid ||= Number(/^daemon pid (\d+)$/.exec(line)?.[1] ?? 0);
          if (pid && /listening on tcp:/.test(line)) resolve(pid);
        });
        parent.once('exit', (code) => reject(new Error(`the wrapper exited (${code}) before the daemon listened`)));
      });
      process.kill(daemonPid, 'SIGKILL');
      while (!processState(daemonPid).startsWith('Z')) await new Promise((r) => setTimeout(r, 20));
      process.kill(daemonPid, 0); // "alive" to a pid check

      const restarted = await startDaemon(f);
      assert.equal(await restarted.stop(), 0);

      // The pid file an older sigsock left, naming a live process that is not sigsock.
      writeFileSync(`${dbPath()}.lock`, `${parent.pid}\n`);
      const again = await startDaemon(f);
      assert.equal(await again.stop(), 0);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('a missing key file is reported, where it was expected and how to supply the key; no new key is written', async () => {
    const keyFile = join(f.dataDir, 'db.key');
    const key = readFileSync(keyFile, 'utf8').trim();
    const before = sha256(dbPath());
    renameSync(keyFile, `${keyFile}.away`);
    try {
      const res = await cli(['listIdentities']);
      assert.equal(res.code, 1);
      assert.match(res.stderr, /^sigsock: the database key file .* is missing/);
      assert.ok(res.stderr.includes(`the database key file ${keyFile} is missing, but ${join(f.dataDir, scrubbedDbName)} exists`), res.stderr);
      assert.match(res.stderr, /no new key was written.*Put the key back in .*or supply it in SIGSOCK_DB_KEY/);
      assert.equal(res.stderr.includes(f.number.slice(1)), false, 'the number is scrubbed from the path');
      assert.equal(existsSync(keyFile), false, 'no key file was created');
      assert.equal(sha256(dbPath()), before);

      const withEnv = await cli(['listIdentities'], { SIGSOCK_DB_KEY: key });
      assert.equal(withEnv.code, 0, withEnv.stderr);
      assert.equal(existsSync(keyFile), false);
    } finally {
      renameSync(`${keyFile}.away`, keyFile);
    }
  });

  it('a damaged first page is reported as damage, where the database is, and the file is left as it was', async () => {
    const original = readFileSync(dbPath());
    const damaged = Buffer.from(original);
    damaged.fill(0x55, 1000, 1100);
    writeFileSync(dbPath(), damaged);
    try {
      const res = await cli(['listIdentities']);
      assert.equal(res.code, 1);
      assert.equal(
        res.stderr,
        `sigsock: the database ${join(f.dataDir, scrubbedDbName)} is damaged: its first page fails SQLCipher's integrity check, ` +
          'while the key opens its other pages. sigsock changed nothing in it. Restore the file from a backup, or link the account ' +
          'again (which starts an empty database).\n',
      );
      assert.ok(readFileSync(dbPath()).equals(damaged), 'the file is unchanged');
      assert.equal(existsSync(`${dbPath()}-wal`), false);

      const wrongKey = await cli(['listIdentities'], { SIGSOCK_DB_KEY: 'ab'.repeat(32) });
      assert.equal(wrongKey.code, 1);
      assert.match(wrongKey.stderr, /no page of it passes SQLCipher's integrity check with this key\. Either the key is wrong/);
    } finally {
      writeFileSync(dbPath(), original);
    }
    const repaired = await cli(['listIdentities']);
    assert.equal(repaired.code, 0, repaired.stderr);
  });
});
