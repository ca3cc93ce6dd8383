// JSON-RPC 2.0 as signal-cli speaks it: one JSON value per line (strict JSON), a request object or a
// batch (array) of them; responses carry the request's `id` as given (any JSON scalar); requests
// without an `id` are notifications and get no response. This file parses a line into the requests
// it holds and builds the response objects; it knows no method.

/** JSON-RPC's own codes (https://www.jsonrpc.org/specification#error_object). */
export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;

/** signal-cli's codes for its command exceptions (SignalJsonRpcCommandHandler). */
export const USER_ERROR = -1;
export const IO_ERROR = -3;
export const UNTRUSTED_KEY_ERROR = -4;
export const RATELIMIT_ERROR = -5;
export const CAPTCHA_REJECTED_ERROR = -6;

import { idTexts, NumberIdText } from './idText.js';

/**
 * What a response's `id` can be: the request's id echoed (a number as the text the client wrote),
 * or null when it could not be read.
 */
export type RpcId = string | number | boolean | null | NumberIdText;

export interface RpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export type RpcResponse = { jsonrpc: '2.0'; result: unknown; id: RpcId } | { jsonrpc: '2.0'; error: RpcErrorObject; id: RpcId };

/** A failure that becomes an error response: thrown by methods and by request validation. */
export class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RpcError';
  }

  toObject(): RpcErrorObject {
    return this.data === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, data: this.data };
  }
}

export interface RpcRequest {
  method: string;
  /** Absent or an object or an array, as the request gave it. */
  params: Record<string, unknown> | unknown[] | undefined;
  /** False for a notification: no response is written. */
  hasId: boolean;
  id: RpcId;
}

/** One element of a line: a request to run, or an error to answer without running anything. */
export type LineItem = { kind: 'request'; request: RpcRequest } | { kind: 'invalid'; response: RpcResponse };

/** What one input line holds: its items, and whether they were a batch (answered as one array). */
export interface ParsedLine {
  batch: boolean;
  items: LineItem[];
}

export function success(id: RpcId, result: unknown): RpcResponse {
  return { jsonrpc: '2.0', result: result === undefined ? {} : result, id };
}

export function failure(id: RpcId, error: RpcErrorObject): RpcResponse {
  return { jsonrpc: '2.0', error, id };
}

export function parseLine(line: string): ParsedLine {
  if (line.trim() === '') return single(failure(null, { code: PARSE_ERROR, message: 'empty input line' }));
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return single(failure(null, { code: PARSE_ERROR, message: `not valid JSON: ${err instanceof Error ? err.message : String(err)}` }));
  }
  const batch = Array.isArray(value);
  const values: unknown[] = Array.isArray(value) ? value : [value];
  if (values.length === 0) return single(failure(null, { code: INVALID_REQUEST, message: 'empty batch' }));
  const texts = values.some(hasNumberId) ? idTexts(line, batch) : [];
  return { batch, items: values.map((v, i) => toItem(v, texts[i])) };
}

function hasNumberId(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'number';
}

function single(response: RpcResponse): ParsedLine {
  return { batch: false, items: [{ kind: 'invalid', response }] };
}

function toItem(value: unknown, idText: string | undefined): LineItem {
  const invalid = (id: RpcId, message: string): LineItem => ({ kind: 'invalid', response: failure(id, { code: INVALID_REQUEST, message }) });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid(null, 'a request must be an object');
  const request = value as Record<string, unknown>;
  const hasId = Object.hasOwn(request, 'id');
  const rawId = request.id;
  const idValid = !hasId || rawId === null || ['string', 'number', 'boolean'].includes(typeof rawId);
  const id = !idValid || !hasId ? null : typeof rawId === 'number' && idText !== undefined ? new NumberIdText(idText) : (rawId as RpcId);
  if (!idValid) return invalid(null, 'id must be a string, a number or null');
  if (request.jsonrpc !== '2.0') return invalid(id, 'only jsonrpc version 2.0 is supported');
  if (typeof request.method !== 'string') return invalid(id, 'method field must be set');
  const params = request.params;
  // signal-cli takes a null params as absent (some clients send it).
  if (params !== undefined && params !== null && typeof params !== 'object') return invalid(id, 'params must be an object or an array');
  return { kind: 'request', request: { method: request.method, params: (params ?? undefined) as RpcRequest['params'], hasId, id } };
}

/** The responses to one line: one object, or an array for a batch; a number id as its text. */
export function encodeResponses(responses: RpcResponse[], batch: boolean): string {
  const texts = responses.map(encodeResponse);
  return (batch ? `[${texts.join(',')}]` : texts[0]) + '\n';
}

function encodeResponse(response: RpcResponse): string {
  if (!(response.id instanceof NumberIdText)) return JSON.stringify(response);
  // `id` is the last member: written as null, then replaced by the client's text.
  const withNull = JSON.stringify({ ...response, id: null });
  return withNull.slice(0, -'null}'.length) + response.id.text + '}';
}

/** A line of output: the object as JSON and a newline. */
export function encodeLine(value: unknown): string {
  return JSON.stringify(value) + '\n';
}
