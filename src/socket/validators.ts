// Checks for the field formats the protocol accepts; each failure is a ProtocolError carrying the
// status code the seed assigns to it and a message that says what was wrong.
import { ProtocolError, StatusCode } from './statusCodes.js';

const E164 = /^\+[1-9]\d{6,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An E.164 number as given, or an ACI UUID in lowercase; `field` names it in the error. */
export function parseAddress(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw new ProtocolError(StatusCode.INVALID_NUMBER, `${field} must be a string (an E.164 phone number or an ACI UUID)`);
  }
  if (UUID.test(value)) return value.toLowerCase();
  if (E164.test(value)) return value;
  throw new ProtocolError(StatusCode.INVALID_NUMBER, `${field} is not a valid phone number: ${whyNotE164(value)}`);
}

function whyNotE164(value: string): string {
  const hint = "expected '+', the country code and the number, 7 to 15 digits in all (or an ACI UUID)";
  if (value.length === 0) return `it is empty; ${hint}`;
  if (!value.startsWith('+')) return `it must start with '+'; ${hint}`;
  const digits = value.slice(1);
  if (!/^\d*$/.test(digits)) return `only digits may follow '+' (no spaces, dashes or brackets); ${hint}`;
  if (digits.startsWith('0')) return `country codes never start with 0; ${hint}`;
  if (digits.length < 7) return `too few digits; ${hint}`;
  return `too many digits; ${hint}`;
}

const BASE64_BODY = /^[A-Za-z0-9+/_-]*$/;
const WHITESPACE = /\s/;

/**
 * Decodes base64 strictly: Buffer.from would skip any junk silently. Standard and URL-safe
 * alphabets, optional padding and line breaks are fine. Returns null when the text is not base64;
 * throws `tooLarge()` before decoding when the result would exceed `maxBytes`.
 */
export function decodeBase64Strict(text: string, maxBytes = Infinity, tooLarge?: (bytes: number) => Error): Buffer | null {
  const compact = WHITESPACE.test(text) ? text.replace(/\s+/g, '') : text;
  let body = compact;
  let padding = 0;
  while (padding < 2 && body.endsWith('=')) {
    body = body.slice(0, -1);
    padding++;
  }
  if (!BASE64_BODY.test(body)) return null;
  if (padding > 0 && compact.length % 4 !== 0) return null;
  if (body.length % 4 === 1) return null;
  const bytes = Math.floor((body.length * 3) / 4);
  if (bytes > maxBytes) throw tooLarge ? tooLarge(bytes) : new RangeError(`decoded data exceeds ${maxBytes} bytes`);
  return Buffer.from(body, 'base64');
}

/** A group id in its standard base64 form, whatever alphabet the client used. */
export function parseGroupId(value: unknown): string {
  if (typeof value !== 'string') throw new ProtocolError(StatusCode.GROUP_NOT_FOUND, 'malformed groupId: it must be a base64 string');
  const bytes = decodeBase64Strict(value, 1024);
  if (!bytes) throw new ProtocolError(StatusCode.GROUP_NOT_FOUND, 'malformed groupId: not valid base64');
  if (bytes.length !== 32) {
    throw new ProtocolError(StatusCode.GROUP_NOT_FOUND, `malformed groupId: it must decode to 32 bytes, not ${bytes.length}`);
  }
  return bytes.toString('base64');
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

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
