// Contact discovery for the sandbox network. Signal answers "which of these numbers are on
// Signal, and with which ACI" through CDSI: a lookup inside an SGX enclave that libsignal attests
// before it sends a number. The mock server has no enclave (and an attestation cannot be faked
// without Signal's signing keys), so libsignal's cdsiLookup cannot talk to it. The sandbox answers
// the same question on a chat route instead, for authenticated devices only, as CDSI requires:
//   GET /v1/sandbox/directory/{e164} → 200 {"aci": "…"} for a number registered on this network
//                                    → 404 for any other (never registered, or deleted since)
// Server files of a sandbox say `"contactDiscovery": "sandbox"`; sigsock then asks this route
// where it would use CDSI (signal/contactDiscovery.ts), with the same answers.
import type { Device, Server } from '@signalapp/mock-server';
import { primaryByNumber, type MockRouter } from './mockInternals.js';

export function installDirectoryRoute(router: MockRouter, device: () => Device | undefined, server: Server): void {
  router.get('/v1/sandbox/directory/:e164', async (params) => {
    if (!device()) return [401, { error: 'Not authorized' }];
    const e164 = decodeURIComponent(params.e164 ?? '');
    const primary = primaryByNumber(server, e164);
    if (!primary || server.isUnregistered(primary.aci)) return [404, { error: 'Not found' }];
    return [200, { aci: primary.aci }];
  });
}
