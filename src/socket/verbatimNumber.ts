// A number kept as the text the client wrote. A `reqId` must come back with exactly the digits
// sent, and a JavaScript number cannot hold every one (9007199254740993, 12345678901234567890 and
// 1e400 would come back as 9007199254740992, 12345678901234567000 and null).

export class VerbatimNumber {
  /** `text` is valid JSON number syntax: the reader checked it. */
  constructor(readonly text: string) {}

  /** The nearest JavaScript number, for code that only needs the value. */
  get value(): number {
    return Number(this.text);
  }

  /**
   * What plain JSON.stringify writes: the nearest number (null when out of range). Answers go
   * through encodeAnswer, which writes the text itself.
   */
  toJSON(): number {
    return this.value;
  }
}
