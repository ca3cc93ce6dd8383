// An answer line as pieces to write: JSON text, and attachment bytes to be written as base64 in
// slices between them. A 100 MiB attachment as one JSON line would otherwise be built three
// times over (the base64 string, the line containing it, the buffer written to the socket).
import { randomBytes } from 'node:crypto';
import { AttachmentBytes } from '../messenger/api.js';

export type AnswerPiece = string | Uint8Array;

export function encodeAnswer(response: unknown): AnswerPiece[] {
  const binaries: Uint8Array[] = [];
  // A per-answer nonce, made only when there are bytes: no text a contact sent can look like it.
  let marker = '';
  const placeholderFor = (bytes: Uint8Array) => {
    marker ||= `sigsock-attachment-${randomBytes(8).toString('hex')}-`;
    binaries.push(bytes);
    return `${marker}${binaries.length - 1}`;
  };
  const text = JSON.stringify(withPlaceholders(response, placeholderFor)) + '\n';
  if (binaries.length === 0) return [text];
  const pieces: AnswerPiece[] = [];
  let at = 0;
  for (const [index, bytes] of binaries.entries()) {
    // The placeholder is written as "<marker><index>"; the bytes go between its quotes.
    const placeholder = `"${marker}${index}"`;
    const found = text.indexOf(placeholder, at);
    pieces.push(text.slice(at, found + 1), bytes);
    at = found + placeholder.length - 1;
  }
  pieces.push(text.slice(at));
  return pieces;
}

/**
 * The value with every AttachmentBytes replaced by a placeholder string; containers are copied only
 * when something inside them was replaced, so an answer without attachments is not copied at all.
 */
function withPlaceholders(value: unknown, placeholderFor: (bytes: Uint8Array) => string): unknown {
  if (value instanceof AttachmentBytes) return placeholderFor(value.bytes);
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
