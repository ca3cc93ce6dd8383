// The chat server tells a connected device once when it has delivered every envelope it had queued
// for it. Linking waits for that, so the first messages are stored before the command returns.
export class ServerQueueEmpty {
  private wasSeen = false;
  private waiters: (() => void)[] = [];

  seen(): void {
    this.wasSeen = true;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once the server said so (at once if it already did), or when `timeoutMs` passed. */
  async wait(timeoutMs: number): Promise<void> {
    if (this.wasSeen) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
