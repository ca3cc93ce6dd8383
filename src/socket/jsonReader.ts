// A streaming reader for the lenient JSON the socket protocol accepts: standard JSON plus
// single-quoted strings, unquoted field names and trailing commas, with top-level values back to
// back. It is a byte-at-a-time state machine that keeps its place between chunks, so every byte
// is looked at once no matter how the stream is split, and a value is built while it arrives.
import { StringDecoder } from 'node:string_decoder';
import { Base64StreamDecoder } from './base64Stream.js';
import { VerbatimNumber } from './verbatimNumber.js';

/** An error's reqId is that of the broken request, when it had come before the error. */
export type ReaderEvent = { kind: 'value'; value: unknown } | { kind: 'error'; message: string; reqId?: unknown };

export interface LenientJsonReaderOptions {
  /** Largest top-level value, in bytes of JSON text. Default 100 MiB. */
  maxValueBytes?: number;
  /** Deepest nesting of objects and arrays. Default 1000. */
  maxDepth?: number;
  /**
   * Most values (objects, arrays, strings, numbers, true/false/null) in one top-level value,
   * itself included. Default 100,000. The value is dropped as soon as one more begins, before it
   * is built: parsed, `[{},{},…]` costs some 50 times its text in memory.
   */
  maxValues?: number;
  /**
   * Fields of a command (a top-level object, or an object directly inside a top-level array)
   * whose numbers arrive as VerbatimNumber, keeping the text as sent. Default none.
   */
  verbatimNumberFields?: string[];
  /**
   * Where string values are base64 decoded as they stream in and arrive as DecodedBase64
   * (attachments: the text is never held as a string). A path lists the enclosing field names
   * from outer to inner, `[]` for an array element, ending with the field itself; it matches the
   * innermost containers, e.g. ['attachments', '[]', 'base64Data']. Default none.
   */
  base64Paths?: string[][];
}

export const DEFAULT_MAX_VALUE_BYTES = 100 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 1000;
export const DEFAULT_MAX_VALUES = 100_000;

const enum State {
  /** Between top-level values. */
  Top,
  /** After a syntax error: drop bytes through the next newline. */
  SkipLine,
  /** A value broke a limit: follow its structure without keeping it until it closes. */
  Discard,
  KeyOrEnd,
  Colon,
  Value,
  AfterValue,
  String,
  Escape,
  Unicode,
  Number,
  Word,
}

interface Frame {
  container: Record<string, unknown> | unknown[];
  isArray: boolean;
  key: string;
}

const NL = 0x0a;
const EMPTY = Buffer.alloc(0);
const BACKSLASH = 0x5c;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

const SIMPLE_ESCAPES: Record<number, string> = {
  0x22: '"',
  0x27: "'",
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

const NUMBER_SYNTAX = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function isWhitespace(b: number): boolean {
  return b === 0x20 || b === NL || b === 0x0d || b === 0x09;
}

function isWordByte(b: number): boolean {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b === 0x5f || b === 0x24;
}

function isNumberByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2b || b === 0x2e || b === 0x65 || b === 0x45;
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

function describeByte(b: number | undefined): string {
  if (b === undefined) return 'end of input';
  if (b === NL) return 'end of line';
  if (b >= 0x20 && b < 0x7f) return `'${String.fromCharCode(b)}'`;
  if (b >= 0x80) return 'a non-ASCII character';
  return `control character 0x${b.toString(16).padStart(2, '0')}`;
}

export class LenientJsonReader {
  /**
   * May be changed between pushes (the socket raises it once a client authenticated); a value
   * already being read is measured against the limit in force when its chunk ends.
   */
  maxValueBytes: number;
  private readonly maxDepth: number;
  private readonly maxValues: number;
  private readonly base64Paths: string[][];
  private readonly verbatimNumberFields: ReadonlySet<string>;
  /** Values begun in the current top-level value, itself included. */
  private values = 0;
  /** Set while the current string is a base64 field's value: its text goes here, not to `text`. */
  private base64: Base64StreamDecoder | null = null;

  private state = State.Top;
  private stack: Frame[] = [];
  /** Where a string, number or word goes once complete: a field name or a value. */
  private tokenIsKey = false;
  private quote = DQUOTE;
  private text = '';
  private readonly decoder = new StringDecoder('utf8');
  /** The decoder may hold the first bytes of a character split across chunks. */
  private decoding = false;
  private unicodeValue = 0;
  private unicodeDigits = 0;

  /** Bytes seen before the current chunk; with the line start, for error positions. */
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  /** Where the current request (or the unreadable text standing for one) began: byte and line. */
  private valueStart = 0;
  private valueLine = 1;
  /** The chunk being pushed, for looking back along the current line. */
  private chunk: Buffer = EMPTY;
  /** Whether the part of the current line in earlier chunks is only whitespace. */
  private lineBlankBeforeChunk = true;

  // Discard mode keeps only what it needs to find where the broken value ends.
  private discardDepth = 0;
  private discardInString = false;
  private discardEscape = false;

  constructor(options: LenientJsonReaderOptions = {}) {
    this.maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    this.maxValues = options.maxValues ?? DEFAULT_MAX_VALUES;
    this.base64Paths = options.base64Paths ?? [];
    this.verbatimNumberFields = new Set(options.verbatimNumberFields ?? []);
  }

  push(chunk: Buffer): ReaderEvent[] {
    const events: ReaderEvent[] = [];
    const len = chunk.length;
    this.chunk = chunk;
    let i = 0;
    while (i < len) {
      switch (this.state) {
        case State.Top: {
          const b = chunk[i];
          if (isWhitespace(b)) {
            if (b === NL) this.newLine(i);
            i++;
          } else if (b === 0x7b || b === 0x5b) {
            this.beginRequest(i);
            this.values = 1;
            this.open(b === 0x5b);
            i++;
          } else {
            // Positions count from where the unreadable text begins: it stands where a request would.
            this.beginRequest(i);
            this.fail(events, i, `expected a JSON object or array, found ${describeByte(b)}`);
          }
          break;
        }

        case State.SkipLine: {
          const nl = chunk.indexOf(NL, i);
          if (nl < 0) {
            i = len;
          } else {
            this.newLine(nl);
            this.state = State.Top;
            i = nl + 1;
          }
          break;
        }

        case State.Discard:
          i = this.discard(chunk, i);
          break;

        case State.KeyOrEnd: {
          const b = chunk[i];
          if (isWhitespace(b)) {
            if (b === NL) this.newLine(i);
            i++;
          } else if (b === 0x7d) {
            i++;
            this.close(events, i);
          } else if (b === DQUOTE || b === SQUOTE) {
            this.startString(b, true);
            i++;
          } else if (isWordByte(b)) {
            this.tokenIsKey = true;
            this.text = '';
            this.state = State.Word;
          } else {
            this.fail(events, i, `expected a field name or '}', found ${describeByte(b)}`);
          }
          break;
        }

        case State.Colon: {
          const b = chunk[i];
          if (isWhitespace(b)) {
            if (b === NL) this.newLine(i);
            i++;
          } else if (b === 0x3a) {
            this.state = State.Value;
            i++;
          } else {
            this.fail(events, i, `expected ':' after field name, found ${describeByte(b)}`);
          }
          break;
        }

        case State.Value: {
          const b = chunk[i];
          if (isWhitespace(b)) {
            if (b === NL) this.newLine(i);
            i++;
          } else if (b === 0x5d && this.top().isArray) {
            // `]` right after `[` or `,`: an empty array or a trailing comma.
            i++;
            this.close(events, i);
          } else if (++this.values > this.maxValues) {
            // Dropped before this value is built; the byte at `i` is where discarding starts.
            const depth = this.stack.length;
            this.overLimit(events, `invalid JSON ${this.position(i)}: more than ${this.maxValues} values in one command or batch; it was discarded (send a large batch in parts)`);
            this.discardDepth = depth;
          } else if (b === 0x7b || b === 0x5b) {
            if (this.stack.length >= this.maxDepth) {
              // Such a value can only be broken or hostile: skip the rest of its line, as for a
              // syntax error, rather than wait for brackets that may never balance.
              this.fail(events, i, `nesting deeper than ${this.maxDepth} levels`);
            } else {
              this.open(b === 0x5b);
              i++;
            }
          } else if (b === DQUOTE || b === SQUOTE) {
            this.startString(b, false);
            i++;
          } else if (b === 0x2d || (b >= 0x30 && b <= 0x39)) {
            this.text = '';
            this.state = State.Number;
          } else if (isWordByte(b)) {
            this.tokenIsKey = false;
            this.text = '';
            this.state = State.Word;
          } else {
            this.fail(events, i, `expected a value, found ${describeByte(b)}`);
          }
          break;
        }

        case State.AfterValue: {
          const b = chunk[i];
          const frame = this.top();
          if (isWhitespace(b)) {
            if (b === NL) this.newLine(i);
            i++;
          } else if (b === 0x2c) {
            this.state = frame.isArray ? State.Value : State.KeyOrEnd;
            i++;
          } else if (b === (frame.isArray ? 0x5d : 0x7d)) {
            i++;
            this.close(events, i);
          } else {
            const expected = frame.isArray ? "',' or ']'" : "',' or '}'";
            this.fail(events, i, `expected ${expected}, found ${describeByte(b)}`);
          }
          break;
        }

        case State.String: {
          const quote = this.quote;
          let j = i;
          while (j < len) {
            const b = chunk[j];
            if (b === quote || b === BACKSLASH || (b < 0x20 && b !== 0x09)) break;
            j++;
          }
          const b = chunk[j];
          if (this.base64) {
            // Base64 is ASCII: latin1 maps each byte to one character, and anything else is invalid.
            if (j > i) this.base64.write(chunk.toString('latin1', i, j));
          } else if (b === quote && !this.decoding) {
            // The whole string is in this chunk: no need to carry partial characters over.
            const text = this.text + chunk.toString('utf8', i, j);
            i = j + 1;
            this.token(text);
            break;
          } else if (j > i) {
            this.text += this.decoder.write(chunk.subarray(i, j));
            this.decoding = true;
          }
          if (j === len) {
            i = len;
            break;
          }
          if (b === quote) {
            i = j + 1;
            this.endString();
          } else if (b === BACKSLASH) {
            this.state = State.Escape;
            i = j + 1;
          } else {
            this.fail(events, j, `unescaped ${describeByte(b)} inside a string (is a closing quote missing?)`);
            i = j;
          }
          break;
        }

        case State.Escape: {
          const b = chunk[i];
          const simple = SIMPLE_ESCAPES[b];
          // Bytes before the backslash that did not form a whole character end here.
          if (this.decoding) {
            this.text += this.decoder.end();
            this.decoding = false;
          }
          if (simple !== undefined) {
            this.appendToString(simple);
            this.state = State.String;
            i++;
          } else if (b === 0x75) {
            this.unicodeValue = 0;
            this.unicodeDigits = 0;
            this.state = State.Unicode;
            i++;
          } else {
            this.fail(events, i, `invalid escape sequence: backslash followed by ${describeByte(b)}`);
          }
          break;
        }

        case State.Unicode: {
          const digit = hexValue(chunk[i]);
          if (digit < 0) {
            this.fail(events, i, `expected a hex digit in \\u escape, found ${describeByte(chunk[i])}`);
            break;
          }
          this.unicodeValue = this.unicodeValue * 16 + digit;
          i++;
          if (++this.unicodeDigits === 4) {
            // Surrogate halves are kept as code units; two in a row form the pair, as in JSON.parse.
            this.appendToString(String.fromCharCode(this.unicodeValue));
            this.state = State.String;
          }
          break;
        }

        case State.Number: {
          let j = i;
          while (j < len && isNumberByte(chunk[j])) j++;
          this.text += chunk.toString('latin1', i, j);
          if (j === len) {
            i = len;
            break;
          }
          if (!NUMBER_SYNTAX.test(this.text)) {
            this.fail(events, j - this.text.length, `invalid number '${this.text.slice(0, 40)}'`);
            i = j;
            break;
          }
          i = j;
          this.token(this.isVerbatimNumberField() ? new VerbatimNumber(this.text) : Number(this.text));
          break;
        }

        case State.Word: {
          let j = i;
          while (j < len && isWordByte(chunk[j])) j++;
          this.text += chunk.toString('latin1', i, j);
          if (j === len) {
            i = len;
            break;
          }
          i = j;
          const word = this.text;
          if (this.tokenIsKey) this.token(word);
          else if (word === 'true') this.token(true);
          else if (word === 'false') this.token(false);
          else if (word === 'null') this.token(null);
          else this.fail(events, i - word.length, `unexpected word '${word.slice(0, 40)}' (strings must be quoted)`);
          break;
        }
      }
    }
    this.lineBlankBeforeChunk = this.lineBlankUpTo(len);
    this.chunk = EMPTY;
    this.offset += len;
    if (this.inValue() && this.offset - this.valueStart > this.maxValueBytes) {
      const depth = this.stack.length;
      const inString = this.state === State.String || this.state === State.Escape || this.state === State.Unicode;
      const inEscape = this.state === State.Escape;
      this.overLimit(events, this.tooLargeMessage());
      this.discardDepth = depth;
      this.discardInString = inString;
      this.discardEscape = inEscape;
    }
    return events;
  }

  /** The stream ended: a value still open is reported; the reader starts afresh. */
  end(): ReaderEvent[] {
    const events: ReaderEvent[] = [];
    if (this.inValue()) {
      events.push({
        kind: 'error',
        message: `invalid JSON ${this.position(0)}: unexpected end of input inside a value`,
      });
    }
    this.reset();
    this.state = State.Top;
    return events;
  }

  private inValue(): boolean {
    return this.state !== State.Top && this.state !== State.SkipLine && this.state !== State.Discard;
  }

  private top(): Frame {
    return this.stack[this.stack.length - 1];
  }

  private open(isArray: boolean): void {
    this.stack.push({ container: isArray ? [] : {}, isArray, key: '' });
    this.state = isArray ? State.Value : State.KeyOrEnd;
  }

  /** The innermost container closed; `next` is the index just after its closing bracket. */
  private close(events: ReaderEvent[], next: number): void {
    const frame = this.stack.pop()!;
    if (this.stack.length > 0) {
      this.token(frame.container);
      return;
    }
    this.state = State.Top;
    if (this.offset + next - this.valueStart > this.maxValueBytes) {
      events.push({ kind: 'error', message: this.tooLargeMessage() });
    } else {
      events.push({ kind: 'value', value: frame.container });
    }
  }

  private startString(quote: number, isKey: boolean): void {
    this.quote = quote;
    this.tokenIsKey = isKey;
    this.text = '';
    this.state = State.String;
    if (!isKey && this.base64Paths.some((path) => this.isAt(path))) this.base64 = new Base64StreamDecoder();
  }

  /** Whether the value about to be read sits at `path` (see base64Paths). */
  private isAt(path: string[]): boolean {
    let depth = this.stack.length - 1;
    for (let p = path.length - 1; p >= 0; p--, depth--) {
      const frame = this.stack[depth];
      if (!frame) return false;
      if (path[p] === '[]' ? !frame.isArray : frame.isArray || frame.key !== path[p]) return false;
    }
    return true;
  }

  /** Whether the number being read is the value of a verbatimNumberFields field of a command. */
  private isVerbatimNumberField(): boolean {
    const frame = this.top();
    if (frame.isArray || !this.verbatimNumberFields.has(frame.key)) return false;
    return this.stack.length === 1 || (this.stack.length === 2 && this.stack[0].isArray);
  }

  private appendToString(text: string): void {
    if (this.base64) this.base64.write(text);
    else this.text += text;
  }

  private endString(): void {
    if (this.base64) {
      const value = this.base64.end();
      this.base64 = null;
      this.token(value);
      return;
    }
    this.text += this.decoder.end();
    this.decoding = false;
    this.token(this.text);
  }

  /** A string, number, word or nested container is complete: put it where it belongs. */
  private token(value: unknown): void {
    const frame = this.top();
    this.text = '';
    if (this.tokenIsKey) {
      this.tokenIsKey = false;
      frame.key = value as string;
      this.state = State.Colon;
      return;
    }
    if (frame.isArray) {
      (frame.container as unknown[]).push(value);
    } else if (frame.key === '__proto__') {
      // An own property, as JSON.parse makes it, never the object's prototype.
      Object.defineProperty(frame.container, '__proto__', { value, enumerable: true, writable: true, configurable: true });
    } else {
      (frame.container as Record<string, unknown>)[frame.key] = value;
    }
    this.state = State.AfterValue;
  }

  private fail(events: ReaderEvent[], index: number, what: string): void {
    const reqId = this.partialReqId();
    events.push({ kind: 'error', message: `invalid JSON ${this.position(index)}: ${what}`, ...(reqId === undefined ? {} : { reqId }) });
    const b = this.chunk[index];
    // A request left unfinished must not swallow the next one: when the offending byte opens a line
    // with a new object or array, that line is the next request. (Requests may span lines, so a
    // newline alone cannot end one.)
    const resync = this.state !== State.Top && (b === 0x7b || b === 0x5b) && this.lineBlankUpTo(index);
    this.reset();
    // The byte at `index` is looked at again by Top or SkipLine, so an offending newline ends the skip.
    this.state = resync ? State.Top : State.SkipLine;
  }

  /** The reqId of the top-level object being read, if it came already: the error answer carries it. */
  private partialReqId(): unknown {
    const outer = this.stack[0];
    if (!outer || outer.isArray) return undefined;
    const reqId = (outer.container as Record<string, unknown>).reqId;
    return typeof reqId === 'string' || typeof reqId === 'number' || reqId instanceof VerbatimNumber ? reqId : undefined;
  }

  /** Whether the current line holds only whitespace before `index` of the chunk being pushed. */
  private lineBlankUpTo(index: number): boolean {
    const lineStartInChunk = this.lineStart - this.offset;
    if (lineStartInChunk < 0 && !this.lineBlankBeforeChunk) return false;
    for (let j = Math.max(0, lineStartInChunk); j < index; j++) {
      if (!isWhitespace(this.chunk[j])) return false;
    }
    return true;
  }

  private beginRequest(index: number): void {
    this.valueStart = this.offset + index;
    this.valueLine = this.line;
  }

  private overLimit(events: ReaderEvent[], message: string): void {
    events.push({ kind: 'error', message });
    this.reset();
    this.state = State.Discard;
    this.discardInString = false;
    this.discardEscape = false;
  }

  private reset(): void {
    this.stack = [];
    this.text = '';
    this.base64 = null;
    this.tokenIsKey = false;
    this.decoder.end();
    this.decoding = false;
  }

  /** Follows strings and brackets until the discarded value closes; returns where to go on. */
  private discard(chunk: Buffer, from: number): number {
    const len = chunk.length;
    // Where the next quote, backslash and newline are (-1: none left in this chunk; -2: not
    // looked for yet): inside a discarded string only these matter, and searching for them
    // natively keeps a never-ending string from costing a JavaScript step per byte.
    let nextQuote = -2;
    let nextBackslash = -2;
    let nextNewline = -2;
    for (let i = from; i < len; i++) {
      if (this.discardInString && !this.discardEscape) {
        if (nextQuote !== -1 && nextQuote < i) nextQuote = chunk.indexOf(this.quote, i);
        if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = chunk.indexOf(BACKSLASH, i);
        if (nextNewline !== -1 && nextNewline < i) nextNewline = chunk.indexOf(NL, i);
        let stop = len;
        if (nextQuote >= 0 && nextQuote < stop) stop = nextQuote;
        if (nextBackslash >= 0 && nextBackslash < stop) stop = nextBackslash;
        if (nextNewline >= 0 && nextNewline < stop) stop = nextNewline;
        if (stop === len) return len;
        i = stop;
      }
      const b = chunk[i];
      if (b === NL) {
        this.newLine(i);
        if (this.discardInString) {
          // A raw newline cannot be inside a string: the value is broken, resume on the next line.
          this.state = State.Top;
          return i + 1;
        }
        continue;
      }
      if (this.discardInString) {
        if (this.discardEscape) this.discardEscape = false;
        else if (b === BACKSLASH) this.discardEscape = true;
        else if (b === this.quote) this.discardInString = false;
      } else if (b === DQUOTE || b === SQUOTE) {
        this.quote = b;
        this.discardInString = true;
        nextQuote = -2;
      } else if (b === 0x7b || b === 0x5b) {
        this.discardDepth++;
      } else if (b === 0x7d || b === 0x5d) {
        if (--this.discardDepth <= 0) {
          this.state = State.Top;
          return i + 1;
        }
      }
    }
    return len;
  }

  private newLine(index: number): void {
    this.line++;
    this.lineStart = this.offset + index + 1;
  }

  /** Counted from the start of the request, not of the connection: what a client can look up. */
  private position(index: number): string {
    const at = this.offset + index;
    const column = at - Math.max(this.lineStart, this.valueStart) + 1;
    return `at line ${this.line - this.valueLine + 1}, column ${column} (byte ${at - this.valueStart})`;
  }

  private tooLargeMessage(): string {
    return `invalid JSON: command exceeds ${this.maxValueBytes} bytes and was discarded`;
  }
}
