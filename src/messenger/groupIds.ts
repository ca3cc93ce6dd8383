// Group identifiers as other Signal tools print them: base64 of the 32-byte GroupIdentifier.
import { GroupMasterKey, GroupSecretParams } from '@signalapp/libsignal-client/zkgroup.js';

export function groupIdFromMasterKey(masterKey: Uint8Array): string {
  const params = GroupSecretParams.deriveFromMasterKey(new GroupMasterKey(new Uint8Array(masterKey)));
  return Buffer.from(params.getPublicParams().getGroupIdentifier().serialize()).toString('base64');
}
