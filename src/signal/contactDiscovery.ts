// Contact discovery: phone numbers → ACIs. On Signal's servers through CDSI (an attested enclave,
// via libsignal); on a sandbox network, whose mock server has no enclave, through the sandbox's
// directory route (GET /v1/sandbox/directory/{e164}: 200 {aci} for a registered number, 404
// otherwise), which gives the answers CDSI would for the accounts registered on it.
import { ErrorCode, LibSignalErrorBase } from '@signalapp/libsignal-client';
import type { ChatConnection, Net } from '@signalapp/libsignal-client/dist/net.js';
import { chatJson, HttpError } from './chatHttp.js';

export type DiscoveryProtocol = 'cdsi' | 'sandbox';

/** Signal limits how many numbers an account may look up; retry after `retryAfterSeconds`. */
export class ContactDiscoveryRateLimitedError extends Error {
  constructor(
    readonly retryAfterSeconds: number | null,
    options?: ErrorOptions,
  ) {
    super(
      `Signal's contact discovery refused the lookup: this account looked up too many numbers recently${
        retryAfterSeconds ? `; try again in ${retryAfterSeconds} s` : '; try again later'
      } (numbers already known, from contact sync or earlier lookups, need no lookup)`,
      options,
    );
    this.name = 'ContactDiscoveryRateLimitedError';
  }
}

/** Each number's ACI, or null when it is not registered with Signal. */
export async function discoverAcis(net: Net, chat: ChatConnection, e164s: string[], protocol: DiscoveryProtocol = 'cdsi'): Promise<Map<string, string | null>> {
  const found = new Map<string, string | null>();
  if (e164s.length === 0) return found;
  if (protocol === 'sandbox') {
    for (const e164 of e164s) found.set(e164, await sandboxLookup(chat, e164));
    return found;
  }
  const auth = await chatJson<{ username: string; password: string }>(chat, { verb: 'GET', path: '/v2/directory/auth' });
  let result;
  try {
    result = await net.cdsiLookup({ username: auth.username, password: auth.password }, { e164s, acisAndAccessKeys: [] });
  } catch (err) {
    if (err instanceof LibSignalErrorBase && err.code === ErrorCode.RateLimitedError) {
      throw new ContactDiscoveryRateLimitedError((err as unknown as { retryAfterSecs?: number }).retryAfterSecs ?? null, { cause: err });
    }
    throw err;
  }
  for (const e164 of e164s) found.set(e164, result.entries.get(e164)?.aci?.toLowerCase() ?? null);
  return found;
}

export async function discoverAci(net: Net, chat: ChatConnection, e164: string, protocol: DiscoveryProtocol = 'cdsi'): Promise<string | null> {
  return (await discoverAcis(net, chat, [e164], protocol)).get(e164) ?? null;
}

async function sandboxLookup(chat: ChatConnection, e164: string): Promise<string | null> {
  try {
    const answer = await chatJson<{ aci?: string }>(chat, { verb: 'GET', path: `/v1/sandbox/directory/${encodeURIComponent(e164)}` });
    return typeof answer?.aci === 'string' ? answer.aci.toLowerCase() : null;
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  }
}
