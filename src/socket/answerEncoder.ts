// An answer line as pieces to write: JSON text, and attachment bytes to be written as base64 in
// slices between them. A 100 MiB attachment as one JSON line would otherwise be built three
// times over (the base64 string, the line containing it, the buffer written to the socket).
import { randomBytes } from 'node:crypto';
import { AttachmentBytes } from '../messenger/api.js';

export type AnswerPiece = string | Uint8Array;

export function encodeAnswer(response: unknown): AnswerPiece[] {
  const binaries: Uint8Array[] = [];
  // A per-answer nonce: no text a contact sent can look like a placeholder.
  const marker = `\u0000${randomBytes(8).toString('hex')}:`;
  const text = JSON.stringify(withPlaceholders(response, marker, binaries)) + '\n';
  if (binaries.length === 0) return [text];
  const pieces: AnswerPiece[] = [];
  const escapedMarker = JSON.stringify(marker).slice(1, -1);
  const placeholder = new RegExp(`"${escapedMarker.replace(/\\/g, '\\\\')}(\\d+)"`, 'g');
  let at = 0;
  for (const match of text.matchAll(placeholder)) {
    pieces.push(text.slice(at, match.index) + '"');
    pieces.push(binaries[Number(match[1])]!);
    at = match.index! + match[0].length - 1;
  }
  pieces.push(text.slice(at));
  return pieces;
}

/** A copy in which every AttachmentBytes is a placeholder string naming its index in `binaries`. */
function withPlaceholders(value: unknown, marker: string, binaries: Uint8Array[]): unknown {
  if (value instanceof AttachmentBytes) {
    binaries.push(value.bytes);
    return `${marker}${binaries.length - 1}`;
  }
  if (Array.isArray(value)) return value.map((v) => withPlaceholders(v, marker, binaries));
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = withPlaceholders(v, marker, binaries);
    return out;
  }
  return value;
}

/** Base64 of `bytes` in slices that are whole 3-byte groups, so they concatenate to the whole. */
export function* base64Slices(bytes: Uint8Array, sliceBytes = 3 * 64 * 1024): Generator<string> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < buffer.length; i += sliceBytes) yield buffer.toString('base64', i, Math.min(buffer.length, i + sliceBytes));
}
