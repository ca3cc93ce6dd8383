// A numeric request id is echoed with the very digits the client wrote: JSON.parse turns
// 12345678901234567890 into 12345678901234567000, and a client matching responses by id would
// never see its answer. This finds the text of each request's top-level "id" member in the line.

/** A number id kept as written; protocol.ts writes `text` itself into the response. */
export class NumberIdText {
  constructor(readonly text: string) {}
}

/**
 * The literal text of the `"id"` member of the request object (`batch` false) or of each element of
 * the batch array, by position (undefined where there is none). The line is valid JSON: JSON.parse
 * read it first. A member named twice counts as JSON.parse counts it: the last one.
 */
export function idTexts(line: string, batch: boolean): (string | undefined)[] {
  const scanner = new Scanner(line);
  scanner.skipBlanks();
  if (!batch) return [scanner.objectId()];
  const out: (string | undefined)[] = [];
  scanner.expect('[');
  for (;;) {
    scanner.skipBlanks();
    if (scanner.peek() === ']') break;
    out.push(scanner.peek() === '{' ? scanner.objectId() : (scanner.skipValue(), undefined));
    scanner.skipBlanks();
    if (scanner.peek() === ',') scanner.advance();
  }
  return out;
}

class Scanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  peek(): string {
    return this.text[this.pos];
  }

  advance(): void {
    this.pos++;
  }

  expect(char: string): void {
    if (this.text[this.pos] !== char) throw new Error(`expected ${char} at ${this.pos}`);
    this.pos++;
  }

  skipBlanks(): void {
    while (/[ \t\r\n]/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  /** At `{`: reads the object, returns its `id` member's text. */
  objectId(): string | undefined {
    let id: string | undefined;
    this.expect('{');
    for (;;) {
      this.skipBlanks();
      if (this.peek() === '}') {
        this.advance();
        return id;
      }
      const key = JSON.parse(this.text.slice(this.pos, this.skipString())) as string;
      this.skipBlanks();
      this.expect(':');
      this.skipBlanks();
      const start = this.pos;
      this.skipValue();
      if (key === 'id') id = this.text.slice(start, this.pos).trimEnd();
      this.skipBlanks();
      if (this.peek() === ',') this.advance();
    }
  }

  /** Past a string starting at `"`; returns the position after its closing quote. */
  skipString(): number {
    let at = this.pos + 1;
    for (;;) {
      const quote = this.text.indexOf('"', at);
      let backslashes = 0;
      while (this.text[quote - 1 - backslashes] === '\\') backslashes++;
      at = quote + 1;
      if (backslashes % 2 === 0) break;
    }
    this.pos = at;
    return at;
  }

  /** Past one value of any kind. */
  skipValue(): void {
    let depth = 0;
    for (;;) {
      const char = this.text[this.pos];
      if (char === undefined) return;
      if (char === '"') {
        this.skipString();
      } else if (char === '{' || char === '[') {
        depth++;
        this.pos++;
      } else if (char === '}' || char === ']') {
        if (depth === 0) return;
        depth--;
        this.pos++;
      } else if (char === ',' && depth === 0) {
        return;
      } else {
        this.pos++;
      }
      if (depth === 0 && (char === '"' || char === '}' || char === ']')) return;
    }
  }
}
