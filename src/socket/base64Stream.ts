// Base64 decoded while it streams in, for attachment data inside a command: a 100 MiB attachment
// arrives as 133 MiB of base64 text, and building that text as a JavaScript string first (then
// flattening it, then decoding it) held three copies at once. The rules are those of
// `decodeBase64Strict` (messenger/commands/validation.ts): standard or URL-safe alphabet, optional padding, line
// breaks and spaces ignored; anything else makes the whole value invalid, not silently skipped.

import type { AttachmentContent } from '../messenger/api.js';
import { PreDecodedBase64 } from '../messenger/commands/attachments.js';
import { passedThrough } from '../util/youngGarbage.js';

const BODY = /^[A-Za-z0-9+/_-]*$/;
const WHITESPACE = /\s/;
const WHITESPACE_RUNS = /\s+/g;

/** The bytes of a base64 field, or the fact that its text was not base64; commands take it as decoded. */
export class DecodedBase64 extends PreDecodedBase64 {
  constructor(
    /** The decoded pieces, as they came (not joined: that would hold the bytes twice); null when the text was not valid base64. */
    override readonly bytes: AttachmentContent | null,
  ) {
    super(bytes);
  }

  /** Never the bytes: a request that is logged or echoed must not carry the attachment. */
  toJSON(): string {
    return this.bytes ? `<${this.bytes.size} bytes>` : '<invalid base64>';
  }
}

export class Base64StreamDecoder {
  private readonly parts: Buffer[] = [];
  /** Up to three characters that did not yet make a whole quantum of four. */
  private carry = '';
  private bodyChars = 0;
  private padding = 0;
  private invalid = false;

  /** More text of the value, in any split (ASCII; latin1 of the raw bytes is fine). */
  write(text: string): void {
    if (this.invalid || text.length === 0) return;
    // The socket's reads that carried this text are garbage now.
    passedThrough(text.length);
    const compact = WHITESPACE.test(text) ? text.replace(WHITESPACE_RUNS, '') : text;
    const firstPad = compact.indexOf('=');
    const body = firstPad < 0 ? compact : compact.slice(0, firstPad);
    const pads = firstPad < 0 ? 0 : compact.length - firstPad;
    if (this.padding > 0 && body.length > 0) return this.fail();
    if (pads > 0 && !/^=+$/.test(compact.slice(firstPad))) return this.fail();
    if (!BODY.test(body)) return this.fail();
    this.padding += pads;
    if (this.padding > 2) return this.fail();
    this.bodyChars += body.length;
    const all = this.carry + body;
    const whole = all.length - (all.length % 4);
    if (whole > 0) this.parts.push(Buffer.from(all.slice(0, whole), 'base64'));
    this.carry = all.slice(whole);
  }

  /** The value ended. */
  end(): DecodedBase64 {
    if (this.invalid) return new DecodedBase64(null);
    if (this.padding > 0 && (this.bodyChars + this.padding) % 4 !== 0) return new DecodedBase64(null);
    if (this.bodyChars % 4 === 1) return new DecodedBase64(null);
    if (this.carry) this.parts.push(Buffer.from(this.carry, 'base64'));
    const parts = this.parts.splice(0);
    const size = parts.reduce((n, p) => n + p.length, 0);
    return new DecodedBase64({ size, chunks: () => parts });
  }

  private fail(): void {
    this.invalid = true;
    this.parts.length = 0;
    this.carry = '';
  }
}
