// Waiting until the account knows a group, told by the receive path when a group message was
// committed (and by the group directory when it stored a group) instead of asking the store again
// and again. The sandbox uses it to open its socket only once the welcome group has arrived.
export class GroupArrivals {
  private readonly waiters = new Map<string, Set<(known: boolean) => void>>();

  /** `isKnown` says whether the store already holds the group (checked once, on each wait). */
  constructor(private readonly isKnown: (groupId: string) => boolean) {}

  /** The group is now in the store: every wait for it ends. */
  arrived(groupId: string): void {
    const waiting = this.waiters.get(groupId);
    if (!waiting) return;
    this.waiters.delete(groupId);
    for (const wake of waiting) wake(true);
  }

  /** True once the group is known; false when `timeoutMs` passed first or the account stopped. */
  when(groupId: string, timeoutMs: number): Promise<boolean> {
    if (this.isKnown(groupId)) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      let waiting = this.waiters.get(groupId);
      if (!waiting) this.waiters.set(groupId, (waiting = new Set()));
      const wake = (known: boolean) => {
        clearTimeout(timer);
        resolve(known);
      };
      const timer = setTimeout(() => {
        waiting.delete(wake);
        if (waiting.size === 0 && this.waiters.get(groupId) === waiting) this.waiters.delete(groupId);
        resolve(false);
      }, timeoutMs);
      waiting.add(wake);
    });
  }

  /** The account stops: nothing will arrive any more. */
  stop(): void {
    const all = [...this.waiters.values()];
    this.waiters.clear();
    for (const waiting of all) for (const wake of waiting) wake(false);
  }
}
