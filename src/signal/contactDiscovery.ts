// Contact discovery (CDSI): phone number → ACI through Signal's enclave, via libsignal.
import type { ChatConnection, Net } from '@signalapp/libsignal-client/dist/net.js';
import { chatJson } from './chatHttp.js';

export async function discoverAci(net: Net, chat: ChatConnection, e164: string): Promise<string | null> {
  const auth = await chatJson<{ username: string; password: string }>(chat, { verb: 'GET', path: '/v2/directory/auth' });
  const result = await net.cdsiLookup({ username: auth.username, password: auth.password }, { e164s: [e164], acisAndAccessKeys: [] });
  return result.entries.get(e164)?.aci?.toLowerCase() ?? null;
}
