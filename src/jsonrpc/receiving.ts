// How a client gets received messages: pushed (`--receive-mode on-start|on-connection`, or after
// `subscribeReceive` in manual mode), or fetched with the `receive` method (manual mode only, as in
// signal-cli). Either way through a lease of the one inbox, settled by the write that carries it.
import type { InboxEntry, InboxLease } from '../messenger/api.js';
import { CommandArguments, receive } from '../messenger/commands/index.js';
import type { MethodContext } from './methods/index.js';
import type { Params } from './params.js';
import { INVALID_PARAMS, RpcError, USER_ERROR } from './protocol.js';

export type ReceiveMode = 'on-start' | 'on-connection' | 'manual';
export const RECEIVE_MODES: readonly ReceiveMode[] = ['on-start', 'on-connection', 'manual'];

/** signal-cli's default `receive` wait, in seconds. */
const DEFAULT_TIMEOUT_SEC = 3;
/** A negative timeout means "no timeout" in signal-cli; here, the longest wait the daemon allows. */
const MAX_TIMEOUT_MS = 60 * 60 * 1000;

export async function receiveMethod(
  params: Params,
  ctx: MethodContext,
  mode: ReceiveMode,
  signal: AbortSignal,
  encode: (entries: InboxEntry[]) => Record<string, unknown>[],
): Promise<{ result: unknown; lease: InboxLease }> {
  if (mode !== 'manual') throw new RpcError(USER_ERROR, 'Receive command cannot be used if messages are already being received (start the daemon with --receive-mode manual).');
  params.refuseUnsupported('receive', ['maxMessages']);
  const timeout = params.get('timeout') ?? DEFAULT_TIMEOUT_SEC;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout)) throw new RpcError(INVALID_PARAMS, 'timeout must be a number of seconds');
  const timeoutMs = timeout < 0 ? MAX_TIMEOUT_MS : Math.min(timeout * 1000, MAX_TIMEOUT_MS);
  const parsed = receive.parse(new CommandArguments({ timeout: timeoutMs }), { maxAttachmentBytes: 0 });
  let lease: InboxLease;
  try {
    lease = await receive.run(ctx.engine, parsed, { signal });
  } catch (err) {
    if (signal.aborted) return { result: [], lease: emptyLease() };
    throw err;
  }
  try {
    return { result: encode(lease.entries), lease };
  } catch (err) {
    lease.release();
    throw err;
  }
}

/** unsubscribeReceive's id: `{"subscription": N}` or `[N]`; absent means "this client's". */
export function subscriptionIdOf(params: Record<string, unknown> | unknown[] | undefined): number | undefined {
  const value = Array.isArray(params) ? params[0] : params?.subscription;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new RpcError(INVALID_PARAMS, 'subscription must be the integer subscribeReceive returned');
  return value;
}

function emptyLease(): InboxLease {
  return { entries: [], commit: () => {}, release: () => {} };
}
