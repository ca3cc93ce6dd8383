// One writer per account: a lock file holding the owner's pid. A lock left by a process that
// died (kill -9) is taken over; a live owner gets a clear error instead of a corrupted store.
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';

export class AccountLockedError extends Error {
  constructor(number: string, pid: number) {
    super(`account ${number} is in use by another sigsock process (pid ${pid}); stop it first`);
    this.name = 'AccountLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class AccountLock {
  private released = false;
  private readonly onExit = () => this.release();

  private constructor(private readonly path: string) {
    process.once('exit', this.onExit);
  }

  static acquire(path: string, number: string): AccountLock {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        return new AccountLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let owner: number;
      try {
        owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      } catch {
        continue;
      }
      if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) throw new AccountLockedError(number, owner);
      try {
        unlinkSync(path);
      } catch {
        // Someone else removed it first; try again.
      }
    }
    throw new Error(`could not take the lock ${path}`);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    process.off('exit', this.onExit);
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone.
    }
  }
}
