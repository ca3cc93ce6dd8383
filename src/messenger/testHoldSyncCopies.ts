// Test hook, honoured only when SIGSOCK_TEST_HOLD_SYNC_COPIES is set: sync copies are recorded but
// never sent, as if the process died right after answering the send. The e2e test of
// docs/reliability.md ("Sync copies") waits for the line below, kills the daemon and restarts it
// without the variable; the copy must then reach the phone.
export function holdSyncCopiesForTest(log: (line: string) => void, queued: number): boolean {
  if (!process.env.SIGSOCK_TEST_HOLD_SYNC_COPIES) return false;
  if (queued > 0) log(`test hook: holding ${queued} sync cop${queued === 1 ? 'y' : 'ies'} unsent`);
  return true;
}
