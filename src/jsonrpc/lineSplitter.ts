// Splits a byte stream into lines (JSON-RPC's framing: one value per line) without holding more
// than `maxLineBytes` of any one line: a longer line is reported once and skipped up to its end.
export type SplitEvent = { kind: 'line'; text: string } | { kind: 'tooLong'; bytes: number };

export class LineSplitter {
  private pieces: Buffer[] = [];
  private pending = 0;
  /** Inside a line that went over the limit: bytes are dropped until its newline. */
  private skipping = false;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer): SplitEvent[] {
    const events: SplitEvent[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      const end = newline < 0 ? chunk.length : newline;
      this.take(chunk.subarray(start, end), events);
      if (newline < 0) break;
      this.finishLine(events);
      start = newline + 1;
    }
    return events;
  }

  /** The input ended: a last line without a newline still counts. */
  end(): SplitEvent[] {
    const events: SplitEvent[] = [];
    if (this.pending > 0 && !this.skipping) this.finishLine(events);
    this.reset();
    return events;
  }

  private take(piece: Buffer, events: SplitEvent[]): void {
    if (piece.length === 0 || this.skipping) return;
    if (this.pending + piece.length > this.maxLineBytes) {
      events.push({ kind: 'tooLong', bytes: this.pending + piece.length });
      this.reset();
      this.skipping = true;
      return;
    }
    this.pieces.push(piece);
    this.pending += piece.length;
  }

  private finishLine(events: SplitEvent[]): void {
    if (!this.skipping) {
      const text = Buffer.concat(this.pieces, this.pending).toString('utf8');
      // A line ending in \r\n (a client on Windows, telnet) is the same line.
      events.push({ kind: 'line', text: text.endsWith('\r') ? text.slice(0, -1) : text });
    }
    this.reset();
  }

  private reset(): void {
    this.pieces = [];
    this.pending = 0;
    this.skipping = false;
  }
}
