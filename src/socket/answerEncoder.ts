// An answer line as pieces to write: JSON text, and attachment bytes to be written as base64 in
// slices between them. A 100 MiB attachment as one JSON line would otherwise be built three
// times over (the base64 string, the line containing it, the buffer written to the socket).
// A VerbatimNumber (a numeric reqId) is written as the text the client sent.
import { randomBytes } from 'node:crypto';
import { AttachmentBytes } from '../messenger/api.js';
import { VerbatimNumber } from './verbatimNumber.js';

export type AnswerPiece = string | Uint8Array;

export function encodeAnswer(response: unknown): AnswerPiece[] {
  const substitutes: (Uint8Array | VerbatimNumber)[] = [];
  // A per-answer nonce, made only when something is substituted: no text a contact sent can look like it.
  let marker = '';
  const placeholderFor = (substitute: Uint8Array | VerbatimNumber) => {
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
function withPlaceholders(value: unknown, placeholderFor: (substitute: Uint8Array | VerbatimNumber) => string): unknown {
  if (value instanceof AttachmentBytes) return placeholderFor(value.bytes);
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

/** Base64 of `bytes` in slices that are whole 3-byte groups, so they concatenate to the whole. */
export function* base64Slices(bytes: Uint8Array, sliceBytes = 3 * 64 * 1024): Generator<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < buffer.length; i += sliceBytes) yield buffer.toString('base64', i, Math.min(buffer.length, i + sliceBytes));
}
