// An answer line as pieces to write: JSON text, and attachment bytes to be written as base64 in
// slices between them. A 100 MiB attachment as one JSON line would otherwise be built three
// times over (the base64 string, the line containing it, the buffer written to the socket).
// A VerbatimNumber (a numeric reqId) is written as the text the client sent.
import { randomBytes } from 'node:crypto';
import { AttachmentBytes, type AttachmentContent } from '../messenger/api.js';
import { VerbatimNumber } from './verbatimNumber.js';

/** Text as it is, or attachment bytes to be read and written as base64 (`base64Slices`). */
export type AnswerPiece = string | AttachmentContent;

export function encodeAnswer(response: unknown): AnswerPiece[] {
  const substitutes: (AttachmentContent | VerbatimNumber)[] = [];
  // A per-answer nonce, made only when something is substituted: no text a contact sent can look like it.
  let marker = '';
  const placeholderFor = (substitute: AttachmentContent | VerbatimNumber) => {
    marker ||= `sigsock-attachment-${randomBytes(8).toString('hex')}-`;
    substitutes.push(substitute);
    return `${marker}${substitutes.length - 1}`;
  };
  const text = JSON.stringify(withPlaceholders(response, placeholderFor)) + '\n';
  if (substitutes.length === 0) return [text];
  const pieces: AnswerPiece[] = [];
  // Text is gathered up to the next attachment, so a verbatim number adds no piece of its own.
  let pendingText = '';
  let at = 0;
  for (const [index, substitute] of substitutes.entries()) {
    const placeholder = `"${marker}${index}"`;
    const found = text.indexOf(placeholder, at);
    if (substitute instanceof VerbatimNumber) {
      // The number replaces the placeholder and its quotes.
      pendingText += text.slice(at, found) + substitute.text;
      at = found + placeholder.length;
    } else {
      // The bytes go between the placeholder's quotes.
      pieces.push(pendingText + text.slice(at, found + 1), substitute);
      pendingText = '';
      at = found + placeholder.length - 1;
    }
  }
  pieces.push(pendingText + text.slice(at));
  return pieces;
}

/**
 * The value with every AttachmentBytes and VerbatimNumber replaced by a placeholder string;
 * containers are copied only when something inside them was replaced, so an answer without them is
 * not copied at all.
 */
function withPlaceholders(value: unknown, placeholderFor: (substitute: AttachmentContent | VerbatimNumber) => string): unknown {
  if (value instanceof AttachmentBytes) return placeholderFor(value.content);
  if (value instanceof VerbatimNumber) return placeholderFor(value);
  if (Array.isArray(value)) {
    const mapped = value.map((v) => withPlaceholders(v, placeholderFor));
    return mapped.some((v, i) => v !== value[i]) ? mapped : value;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    let out: Record<string, unknown> | null = null;
    for (const [k, v] of Object.entries(value)) {
      const replaced = withPlaceholders(v, placeholderFor);
      if (replaced !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = replaced;
    }
    return out ?? value;
  }
  return value;
}

/**
 * Base64 of the content in slices of whole 3-byte groups, so they concatenate to the whole; the
 * content is read chunk by chunk as the slices are taken (a 1 or 2 byte rest waits for the next).
 */
export function* base64Slices(content: AttachmentContent | Uint8Array, sliceBytes = 3 * 64 * 1024): Generator<string> {
  let rest: Buffer = Buffer.alloc(0);
  for (const chunk of content instanceof Uint8Array ? [content] : content.chunks()) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buffer = rest.length === 0 ? bytes : Buffer.concat([rest, bytes]);
    const whole = buffer.length - (buffer.length % 3);
    for (let i = 0; i < whole; i += sliceBytes) yield buffer.toString('base64', i, Math.min(whole, i + sliceBytes));
    rest = Buffer.from(buffer.subarray(whole));
  }
  if (rest.length > 0) yield rest.toString('base64');
}
