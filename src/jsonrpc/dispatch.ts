// Running what one JSON-RPC input holds (a request or a batch), for every transport: each item
// through the transport's `call`, the responses encoded as one text, and the leases the text
// carries (a `receive` result) gathered so the transport settles them by the write's outcome.
import type { InboxEntry, InboxLease } from '../messenger/api.js';
import type { EnvelopeEncoding } from './envelope.js';
import { errorObjectFor } from './errors.js';
import { METHODS, unknownMethod, type MethodContext } from './methods/index.js';
import { Params } from './params.js';
import { encodeResponses, failure, parseLine, success, type LineItem, type RpcRequest, type RpcResponse } from './protocol.js';
import { receiveMethod, type ReceiveMode } from './receiving.js';
import type { AccountContexts } from './accounts.js';

/** What a method produced: its result, the lease the result carries, what to do once written. */
export interface Call {
  result: unknown;
  lease?: InboxLease;
  afterWrite?: () => void;
}

/** What to write for one input, and what rides on that write. */
export interface Outcome {
  /** Absent when nothing is answered (only notifications). */
  text?: string;
  leases: InboxLease[];
  /** Runs once the text was written (or not): a subscription starts pushing after its answer. */
  afterWrite?: (() => void)[];
}

export type CallRequest = (request: RpcRequest) => Promise<Call>;

/** Runs one line's request or batch; a batch is answered with one array. */
export async function runInput(text: string, call: CallRequest): Promise<Outcome> {
  const parsed = parseLine(text);
  const outcomes = await Promise.all(parsed.items.map((item) => runItem(item, call)));
  const responses = outcomes.flatMap((o) => (o.response ? [o.response] : []));
  const leases = outcomes.flatMap((o) => o.leases);
  const afterWrite = outcomes.flatMap((o) => (o.afterWrite ? [o.afterWrite] : []));
  if (responses.length === 0) return { leases, afterWrite };
  return { text: encodeResponses(responses, parsed.batch), leases, afterWrite };
}

async function runItem(item: LineItem, call: CallRequest): Promise<{ response?: RpcResponse; leases: InboxLease[]; afterWrite?: () => void }> {
  if (item.kind === 'invalid') return { response: item.response, leases: [] };
  const { request } = item;
  try {
    const { result, lease, afterWrite } = await call(request);
    if (!request.hasId) {
      // Nothing is written for a notification: a receive's entries go back at once.
      lease?.release();
      return { leases: [], afterWrite };
    }
    return { response: success(request.id, result), leases: lease ? [lease] : [], afterWrite };
  } catch (err) {
    return { response: request.hasId ? failure(request.id, errorObjectFor(err)) : undefined, leases: [] };
  }
}

/** What a method needs beyond its parameters: the accounts served, the receive mode, how to encode entries. */
export interface MethodScope {
  accounts: AccountContexts;
  receiveMode: ReceiveMode;
  signal: AbortSignal;
  encode: (entries: InboxEntry[], ctx: MethodContext) => Record<string, unknown>[];
}

/**
 * Every method that is not about a connection's subscription: multi-account mode's own methods,
 * `receive` and the engine's commands, each run for the account the request names (accounts.ts).
 */
export async function callMethod(request: RpcRequest, scope: MethodScope): Promise<Call> {
  const { method } = request;
  const accountMethod = scope.accounts.accountMethod(method);
  if (accountMethod) return { result: await accountMethod(Params.of(request.params, method)) };
  const handler = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (!handler && method !== 'receive') throw unknownMethod(method);
  const { ctx, params: raw } = scope.accounts.forRequest(request.params);
  const params = Params.of(raw, method);
  if (method === 'receive') return receiveMethod(params, ctx, scope.receiveMode, scope.signal, (entries) => scope.encode(entries, ctx));
  return { result: await handler!(params, ctx) };
}

/** How entries are written for this account: attachments saved as files unless ignored. */
export function envelopeEncoding(ctx: MethodContext, ignoreAttachments: boolean): EnvelopeEncoding {
  return { account: ctx.account, attachments: ignoreAttachments ? null : ctx.attachments };
}
