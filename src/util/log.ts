// Logging goes to stderr, one line each, so stdout stays clean for command output.
export type Log = (line: string) => void;

export function stderrLog(enabled: boolean): Log {
  if (!enabled) return () => {};
  return (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

/** Phone numbers stay out of logs: keep the country code and the last two digits. */
export function scrubNumber(e164: string | null | undefined): string {
  if (!e164) return '?';
  return e164.length <= 5 ? '+***' : `${e164.slice(0, 3)}***${e164.slice(-2)}`;
}
