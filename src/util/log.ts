// Logging goes to stderr, one line each, so stdout stays clean for command output. Log lines are
// scrubbed of phone numbers and account ids unless the user turns that off (--scrub-log off);
// message bodies, keys and secrets are never logged at all.
export type Log = (line: string) => void;

let scrubbing = true;

export function setLogScrubbing(enabled: boolean): void {
  scrubbing = enabled;
}

const E164 = /\+\d{7,15}\b/g;
/** An account's files are named after its number: account-15551230000.db */
const ACCOUNT_FILE = /\baccount-(\d{7,15})(?=\.db)/g;
const UUID = /\b([0-9a-f]{8})-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;

export function scrubLine(line: string): string {
  return line
    .replace(E164, (n) => scrubNumber(n))
    .replace(ACCOUNT_FILE, (_m, digits: string) => `account-${scrubNumber(`+${digits}`).slice(1)}`)
    .replace(UUID, (_m, head: string) => `${head}-…`);
}

/** A line as the user asked it logged: scrubbed unless --scrub-log off. */
export function asLogged(line: string): string {
  return scrubbing ? scrubLine(line) : line;
}

export function stderrLog(enabled: boolean): Log {
  if (!enabled) return () => {};
  return (line) => process.stderr.write(`${new Date().toISOString()} ${asLogged(line)}\n`);
}

/**
 * Lines about one of the several accounts one process serves (multi-account mode), prefixed with
 * that account: `[+15***01] chat: connected` (scrubbed as the rest of the line is).
 */
export function accountLog(log: Log, account: string): Log {
  return (line) => log(`[${account}] ${line}`);
}

/** Keeps the country code's first digits and the last two: enough to tell accounts apart. */
export function scrubNumber(e164: string | null | undefined): string {
  if (!e164) return '?';
  return e164.length <= 5 ? '+***' : `${e164.slice(0, 3)}***${e164.slice(-2)}`;
}
