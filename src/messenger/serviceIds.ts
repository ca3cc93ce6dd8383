// Service ids as the server and the store spell them: a bare lowercase UUID for an ACI,
// `PNI:` + UUID for a PNI.
import { ServiceId } from '@signalapp/libsignal-client';

export function serviceIdFromBinary(binary: Uint8Array): string {
  return ServiceId.parseFromServiceIdBinary(new Uint8Array(binary)).getServiceIdString();
}

export function aciBinaryToString(binary: Uint8Array): string {
  return serviceIdFromBinary(binary);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
