// Field formats every front-end shares: phone numbers and ACIs, group ids, base64, member lists.
// Each failure is an InvalidCommandError of the kind the field's problem is, naming the field.
import { invalid } from './arguments.js';

const E164 = /^\+[1-9]\d{6,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isE164(value: string): boolean {
  return E164.test(value);
}

/** An E.164 number as given, or an ACI UUID in lowercase; `field` names it in the error. */
export function parseAddress(value: unknown, field: string): string {
  if (typeof value !== 'string') {
    throw invalid('INVALID_NUMBER', `${field} must be a string (an E.164 phone number or an ACI UUID)`);
  }
  if (UUID.test(value)) return value.toLowerCase();
  if (E164.test(value)) return value;
  throw invalid('INVALID_NUMBER', `${field} is not a valid phone number: ${whyNotE164(value)}`);
}

/** An account's own number: E.164 only (accounts are named by their number). */
export function parsePhoneNumber(value: unknown, field: string): string {
  if (typeof value === 'string' && E164.test(value)) return value;
  throw invalid('INVALID_NUMBER', `${field} is not a valid phone number: ${typeof value === 'string' ? whyNotE164(value) : 'it is missing'}`);
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

/** A list of members, each an E.164 number or an ACI; absent is empty. */
export function parseMemberList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('INVALID_NUMBER', `${field} must be an array of phone numbers or ACIs`);
  return value.map((v, i) => parseAddress(v, `${field}[${i}]`));
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
export function parseGroupId(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid('GROUP_NOT_FOUND', `malformed ${field}: it must be a base64 string`);
  const bytes = decodeBase64Strict(value, 1024);
  if (!bytes) throw invalid('GROUP_NOT_FOUND', `malformed ${field}: not valid base64`);
  if (bytes.length !== 32) {
    throw invalid('GROUP_NOT_FOUND', `malformed ${field}: it must decode to 32 bytes, not ${bytes.length}`);
  }
  return bytes.toString('base64');
}

export function parseOptionalBoolean(value: unknown, field: string, fallback = false): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw invalid('INVALID_ARGUMENT', `${field} must be true or false`);
  return value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
