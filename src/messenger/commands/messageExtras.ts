// What send_message may carry besides text and attachments: a quote, mentions, text styles, and the
// timestamp of an earlier message it edits. Each front-end hands the values as JSON-like objects
// (the CLI converts its START:LENGTH:X flags first); errors name the field as the user wrote it.
import { TEXT_STYLES, type MentionRequest, type MessageExtras, type QuoteRequest, type TextStyleName, type TextStyleRequest } from '../api.js';
import { invalid, type CommandArguments } from './arguments.js';
import { isPlainObject, parseAddress } from './validation.js';

/** `text` is the message text the ranges must fall in (UTF-16 code units, as Signal counts them). */
export function parseMessageExtras(args: CommandArguments, text: string | undefined): MessageExtras {
  const extras: MessageExtras = {};
  if (args.has('quote')) extras.quote = parseQuote(args.get('quote'), args.label('quote'));
  if (args.has('mentions')) extras.mentions = parseRanges(args.get('mentions'), args.label('mentions'), text, parseMention);
  if (args.has('textStyles')) extras.textStyles = parseRanges(args.get('textStyles'), args.label('textStyles'), text, parseTextStyle);
  if (args.has('editTimestamp')) extras.editTimestamp = parseTimestamp(args.get('editTimestamp'), args.label('editTimestamp'));
  return extras;
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
