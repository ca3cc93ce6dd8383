// Outgoing attachments as any front-end gives them: base64 text, or bytes a front-end already has
// (a file the CLI read, base64 the socket's reader decoded while it streamed in).
import type { AttachmentContent, OutgoingAttachment } from '../api.js';
import { invalid } from './arguments.js';
import { decodeBase64Strict, isPlainObject } from './validation.js';

/**
 * A base64Data value a front-end decoded already: the socket's reader decodes it as it streams in
 * (keeping the decoded pieces), the CLI and JSON-RPC name a file (read when it is sent). `bytes`
 * is null when the text was not base64.
 */
export class PreDecodedBase64 {
  constructor(readonly bytes: Uint8Array | AttachmentContent | null) {}
}

export function parseAttachments(value: unknown, field: string, maxBytes: number): OutgoingAttachment[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid('INVALID_ATTACHMENT', `${field} must be an array`);
  return value.map((item, index) => parseAttachment(item, `attachment ${index}`, maxBytes));
}

/** One attachment-shaped value ({base64Data, filename, contentType}); `which` names it in errors. */
export function parseAttachment(item: unknown, which: string, maxBytes: number): OutgoingAttachment {
  const fail = (why: string) => invalid('INVALID_ATTACHMENT', `${which}: ${why}`);
  if (!isPlainObject(item)) throw fail('expected an object with base64Data');
  const { base64Data, filename, contentType } = item;
  const decoded = base64Data instanceof PreDecodedBase64;
  if (!decoded && (typeof base64Data !== 'string' || base64Data.length === 0)) throw fail('base64Data must be a non-empty base64 string');
  if (filename !== undefined && filename !== null && typeof filename !== 'string') throw fail('filename must be a string');
  if (contentType !== undefined && contentType !== null && typeof contentType !== 'string') throw fail('contentType must be a string');
  const tooLarge = (bytes: number) => fail(`${bytes} bytes is larger than the limit of ${maxBytes} bytes`);
  const data = decoded ? asBuffer(base64Data.bytes) : decodeBase64Strict(base64Data as string, maxBytes, tooLarge);
  if (!data) throw fail('base64Data is not valid base64');
  const size = data instanceof Uint8Array ? data.length : data.size;
  if (size > maxBytes) throw tooLarge(size);
  if (size === 0) throw fail('base64Data decodes to no data');
  const name = typeof filename === 'string' && filename.length > 0 ? filename : undefined;
  const type = typeof contentType === 'string' && contentType.length > 0 ? contentType : guessContentType(name);
  return name === undefined ? { data, contentType: type } : { data, filename: name, contentType: type };
}

function asBuffer(bytes: Uint8Array | AttachmentContent | null): Buffer | AttachmentContent | null {
  return bytes === null || Buffer.isBuffer(bytes) || !(bytes instanceof Uint8Array) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const CONTENT_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  bmp: 'image/bmp',
  svg: 'image/svg+xml',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mkv: 'video/x-matroska',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  html: 'text/html',
  htm: 'text/html',
  json: 'application/json',
  xml: 'application/xml',
  zip: 'application/zip',
  gz: 'application/gzip',
  vcf: 'text/vcard',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function guessContentType(filename: string | undefined): string {
  const dot = filename?.lastIndexOf('.') ?? -1;
  if (!filename || dot < 0) return 'application/octet-stream';
  return CONTENT_TYPES[filename.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}
