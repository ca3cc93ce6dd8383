// What send_message may carry besides text and attachments: a quote, mentions, text styles, and the
// timestamp of an earlier message it edits. Each front-end hands the values as JSON-like objects
// (the CLI converts its START:LENGTH:X flags first); errors name the field as the user wrote it.
import { TEXT_STYLES, type MentionRequest, type MessageExtras, type PreviewRequest, type QuoteRequest, type StickerRequest, type TextStyleName, type TextStyleRequest } from '../api.js';
import { invalid, type CommandArguments } from './arguments.js';
import { parseAttachment } from './attachments.js';
import { isPlainObject, parseAddress } from './validation.js';

/** `text` is the message text the ranges must fall in (UTF-16 code units, as Signal counts them). */
export function parseMessageExtras(args: CommandArguments, text: string | undefined, maxAttachmentBytes: number): MessageExtras {
  const extras: MessageExtras = {};
  if (args.has('quote')) extras.quote = parseQuote(args.get('quote'), args.label('quote'));
  if (args.has('mentions')) extras.mentions = parseRanges(args.get('mentions'), args.label('mentions'), text, parseMention);
  if (args.has('textStyles')) extras.textStyles = parseRanges(args.get('textStyles'), args.label('textStyles'), text, parseTextStyle);
  if (args.has('editTimestamp')) extras.editTimestamp = parseTimestamp(args.get('editTimestamp'), args.label('editTimestamp'));
  if (args.has('sticker')) extras.sticker = parseSticker(args.get('sticker'), args.label('sticker'), maxAttachmentBytes);
  if (args.has('viewOnce')) {
    const viewOnce = args.get('viewOnce');
    if (typeof viewOnce !== 'boolean') throw invalid('INVALID_ARGUMENT', `${args.label('viewOnce')} must be true or false`);
    if (viewOnce) extras.viewOnce = true;
  }
  if (args.has('previews')) extras.previews = parsePreviews(args.get('previews'), args.label('previews'), text, maxAttachmentBytes);
  return extras;
}

const HEX = /^(?:[0-9a-f]{2})+$/i;

function parseSticker(value: unknown, field: string, maxBytes: number): StickerRequest {
  if (!isPlainObject(value)) throw invalid('INVALID_ARGUMENT', `${field} must be an object with packId, packKey, stickerId and image`);
  const hex = (v: unknown, name: string, bytes: number): string => {
    if (typeof v !== 'string' || !HEX.test(v) || v.length !== bytes * 2) throw invalid('INVALID_ARGUMENT', `${field}.${name} must be ${bytes} bytes as hex (${bytes * 2} digits), as in the pack's link`);
    return v.toLowerCase();
  };
  const { stickerId, emoji, image } = value;
  if (typeof stickerId !== 'number' || !Number.isSafeInteger(stickerId) || stickerId < 0) throw invalid('INVALID_ARGUMENT', `${field}.stickerId must be a whole number of at least 0`);
  if (emoji !== undefined && emoji !== null && typeof emoji !== 'string') throw invalid('INVALID_ARGUMENT', `${field}.emoji must be a string`);
  if (image === undefined || image === null) throw invalid('INVALID_ATTACHMENT', `${field}.image is missing: sigsock keeps no sticker packs, so the sticker's image (webp or png) comes with it`);
  return {
    packId: hex(value.packId, 'packId', 16),
    packKey: hex(value.packKey, 'packKey', 32),
    stickerId,
    ...(typeof emoji === 'string' && emoji.length > 0 && { emoji }),
    image: parseAttachment(image, `${field}.image`, maxBytes),
  };
}

function parsePreviews(value: unknown, field: string, text: string | undefined, maxBytes: number): PreviewRequest[] {
  if (!Array.isArray(value)) throw invalid('INVALID_ARGUMENT', `${field} must be an array`);
  return value.map((item, i) => {
    const itemField = `${field}[${i}]`;
    if (!isPlainObject(item)) throw invalid('INVALID_ARGUMENT', `${itemField} must be an object with url and optionally title, description, date and image`);
    const { url, title, description, date, image } = item;
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) throw invalid('INVALID_ARGUMENT', `${itemField}.url must be an http(s) url`);
    if (!text?.includes(url)) throw invalid('INVALID_ARGUMENT', `${itemField}.url must appear in the message text (Signal apps drop a preview whose url is not in it)`);
    const preview: PreviewRequest = { url };
    for (const [name, v] of [['title', title], ['description', description]] as const) {
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') throw invalid('INVALID_ARGUMENT', `${itemField}.${name} must be a string`);
      preview[name] = v;
    }
    if (date !== undefined && date !== null) preview.date = parseTimestamp(date, `${itemField}.date`);
    if (image !== undefined && image !== null) preview.image = parseAttachment(image, `${itemField}.image`, maxBytes);
    return preview;
  });
}

/**
 * signal-cli's notation for a mention or a style, `START:LENGTH:REST` (the CLI's flags and its
 * JSON-RPC `mention`/`textStyle` parameters), as the ranges `parseMessageExtras` takes.
 */
export function rangeNotation(value: unknown, field: string, format: string): { start: number; length: number; rest: string } {
  const match = typeof value === 'string' ? /^(\d+):(\d+):(.+)$/.exec(value) : null;
  if (!match) throw invalid('INVALID_ARGUMENT', `${field} '${String(value)}' is not ${format} (start and length in UTF-16 code units)`);
  return { start: Number(match[1]), length: Number(match[2]), rest: match[3] };
}

/**
 * The CLI's and JSON-RPC's sticker notation, `PACK_ID:PACK_KEY:STICKER_ID` (signal-cli's
 * `PACK_ID:STICKER_ID` names a pack it installed; sigsock keeps none, so the key comes along), as the
 * sticker object `parseMessageExtras` takes, with its image.
 */
export function stickerNotation(value: unknown, field: string, image: unknown): Record<string, unknown> {
  const match = typeof value === 'string' ? /^([0-9a-fA-F]+):([0-9a-fA-F]+):(\d+)$/.exec(value) : null;
  if (!match) {
    const hint = typeof value === 'string' && /^[0-9a-fA-F]+:\d+$/.test(value) ? ' (sigsock keeps no sticker packs: add the pack key from the pack\'s link)' : '';
    throw invalid('INVALID_ARGUMENT', `${field} '${String(value)}' is not PACK_ID:PACK_KEY:STICKER_ID${hint}`);
  }
  return { packId: match[1], packKey: match[2], stickerId: Number(match[3]), image };
}

/** A message's sent timestamp: a positive integer of milliseconds. */
export function parseTimestamp(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw invalid('INVALID_ARGUMENT', `${field} must be the positive integer sent timestamp (ms) of a message`);
  }
  return value;
}

function parseQuote(value: unknown, field: string): QuoteRequest {
  if (!isPlainObject(value)) throw invalid('INVALID_ARGUMENT', `${field} must be an object with timestamp, author and optionally text`);
  const quote: QuoteRequest = {
    timestamp: parseTimestamp(value.timestamp, `${field}.timestamp`),
    author: parseAddress(value.author, `${field}.author`),
  };
  if (value.text !== undefined && value.text !== null) {
    if (typeof value.text !== 'string') throw invalid('INVALID_ARGUMENT', `${field}.text must be a string`);
    quote.text = value.text;
  }
  return quote;
}

interface Range {
  start: number;
  length: number;
}

function parseRanges<T extends Range>(value: unknown, field: string, text: string | undefined, parseOne: (item: Record<string, unknown>, field: string) => T): T[] {
  if (!Array.isArray(value)) throw invalid('INVALID_ARGUMENT', `${field} must be an array`);
  return value.map((item, i) => {
    const itemField = `${field}[${i}]`;
    if (!isPlainObject(item)) throw invalid('INVALID_ARGUMENT', `${itemField} must be an object with start and length`);
    const range = parseOne(item, itemField);
    const textLength = text?.length ?? 0;
    if (range.start + range.length > textLength) {
      throw invalid('INVALID_ARGUMENT', `${itemField} (start ${range.start}, length ${range.length}) ends past the message text (${textLength} UTF-16 code units)`);
    }
    return range;
  });
}

function parseRange(item: Record<string, unknown>, field: string): Range {
  const whole = (v: unknown, name: string, min: number): number => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw invalid('INVALID_ARGUMENT', `${field}.${name} must be an integer of at least ${min}`);
    return v;
  };
  return { start: whole(item.start, 'start', 0), length: whole(item.length, 'length', 1) };
}

function parseMention(item: Record<string, unknown>, field: string): MentionRequest {
  return { recipient: parseAddress(item.recipient, `${field}.recipient`), ...parseRange(item, field) };
}

function parseTextStyle(item: Record<string, unknown>, field: string): TextStyleRequest {
  const style = typeof item.style === 'string' ? item.style.toUpperCase() : undefined;
  if (!TEXT_STYLES.includes(style as TextStyleName)) throw invalid('INVALID_ARGUMENT', `${field}.style must be one of ${TEXT_STYLES.join(', ')}`);
  return { style: style as TextStyleName, ...parseRange(item, field) };
}
