// Group commit on send: the encryptions of sends in flight together (pipelined clients, several
// connections) run one after another over one protocol batch — each sees the ratchet state the ones
// before it wrote — and commit in one transaction, taking the protocol lock once for all of them.
// Each caller resumes only after that commit held, so its message still goes out (and its answer
// comes) only after its ratchet step is on disk. Sends that arrive during a commit form the next group.
import type { ProtocolBatch, ProtocolStoreSet } from '../store/protocolStores.js';
import type { Mutex } from '../util/mutex.js';

/** At most this many encryptions share a commit (the lock is held while they run). */
export const SEND_GROUP_MAX = 64;

export type CommitBatch = Pick<ProtocolBatch, 'stores' | 'commit' | 'savepoint'>;

interface Job {
  work: (stores: ProtocolStoreSet) => Promise<unknown>;
  /** Runs in the group's transaction, only when `work` succeeded. */
  alsoCommit?: () => void;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export class SendCommits {
  private readonly queue: Job[] = [];
  private draining = false;

  constructor(
    private readonly protocolLock: Mutex,
    private readonly openBatch: () => CommitBatch,
  ) {}

  /**
   * Runs `work` over the group's stores; resolves with its result once the group's commit held. A
   * `work` that throws undoes only its own writes; a commit that fails rejects every member (none of
   * their messages was sent).
   */
  run<T>(work: (stores: ProtocolStoreSet) => Promise<T>, alsoCommit?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, alsoCommit, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) this.drain();
    });
  }

  private drain(): void {
    this.draining = true;
    void this.protocolLock
      .run(() => this.runGroup(this.queue.splice(0, SEND_GROUP_MAX)))
      .finally(() => {
        this.draining = false;
        if (this.queue.length > 0) this.drain();
      });
  }

  private async runGroup(jobs: Job[]): Promise<void> {
    let batch: CommitBatch;
    try {
      batch = this.openBatch();
    } catch (err) {
      for (const job of jobs) job.reject(err);
      return;
    }
    const done: { job: Job; value: unknown }[] = [];
    for (const job of jobs) {
      const undo = batch.savepoint();
      try {
        done.push({ job, value: await job.work(batch.stores) });
      } catch (err) {
        undo();
        job.reject(err);
      }
    }
    if (done.length === 0) return;
    try {
      batch.commit(() => {
        for (const { job } of done) job.alsoCommit?.();
      });
    } catch (err) {
      for (const { job } of done) job.reject(err);
      return;
    }
    for (const { job, value } of done) job.resolve(value);
  }
}
