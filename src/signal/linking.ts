// Linking this process as a secondary device of an existing Signal account (the phone).
import { Aci, Pni, PrivateKey } from '@signalapp/libsignal-client';
import type { Net } from '@signalapp/libsignal-client/dist/net.js';
import { decodeProvisionEnvelope, decodeProvisionMessage } from '../proto/index.js';
import { basicAuth, chatJson } from './chatHttp.js';
import { encryptDeviceName } from './deviceNameCipher.js';
import { newDevicePassword, newIdentityKeys, type AccountCredentials } from './accountCredentials.js';
import { kyberPreKeyJson, signedPreKeyJson } from './prekeys.js';
import { decryptProvisionEnvelope } from './provisioningCipher.js';

/** Linking's result: see accountCredentials.ts. */
export type LinkedAccount = AccountCredentials;

export interface LinkOptions {
  /** A promise when the name is known only later (JSON-RPC's finishLink): needed once the phone answered. */
  deviceName: string | Promise<string>;
  /** Called once with the `sgnl://linkdevice?...` URI to show to the user. */
  onLinkUri: (uri: string) => void;
  signal?: AbortSignal;
  /** The mock server takes the ACI as the link request's user name; Signal's servers take the number. */
  linkUsername: 'aci' | 'number';
}

interface ProvisionResult {
  message: ReturnType<typeof decodeProvisionMessage>;
}

export async function linkDevice(net: Net, options: LinkOptions): Promise<LinkedAccount> {
  const { message } = await receiveProvisionMessage(net, options);
  const deviceName = await options.deviceName;
  const aci = uuidFrom(message.aciBinary, message.aci, 'aci');
  const pni = uuidFrom(message.pniBinary, message.pni, 'pni');
  if (!message.number || !message.provisioningCode) throw new Error('the phone sent an incomplete provisioning message');
  if (!message.aciIdentityKeyPrivate || !message.pniIdentityKeyPrivate) throw new Error('the phone sent no identity keys');

  const aciKeys = newIdentityKeys(PrivateKey.deserialize(Buffer.from(message.aciIdentityKeyPrivate)));
  const pniKeys = newIdentityKeys(PrivateKey.deserialize(Buffer.from(message.pniIdentityKeyPrivate)));
  const password = newDevicePassword();
  const username = options.linkUsername === 'aci' ? aci : message.number;

  const chat = await net.connectUnauthenticatedChat({ onConnectionInterrupted: () => {} }, { abortSignal: options.signal });
  try {
    const res = await chatJson<{ deviceId: number; uuid?: string; pni?: string }>(chat, {
      verb: 'PUT',
      path: '/v1/devices/link',
      headers: [basicAuth(username, password)],
      body: {
        verificationCode: message.provisioningCode,
        accountAttributes: {
          fetchesMessages: true,
          registrationId: aciKeys.registrationId,
          pniRegistrationId: pniKeys.registrationId,
          name: Buffer.from(encryptDeviceName(deviceName, aciKeys.identityKey.getPublicKey())).toString('base64'),
          capabilities: { deleteSync: true, versionedExpirationTimer: true, storage: false },
        },
        aciSignedPreKey: signedPreKeyJson(aciKeys.signedPreKey),
        pniSignedPreKey: signedPreKeyJson(pniKeys.signedPreKey),
        aciPqLastResortPreKey: kyberPreKeyJson(aciKeys.kyberLastResort),
        pniPqLastResortPreKey: kyberPreKeyJson(pniKeys.kyberLastResort),
      },
    });
    return {
      aci,
      pni,
      number: message.number,
      deviceId: res.deviceId,
      password,
      profileKey: message.profileKey ?? null,
      masterKey: message.masterKey ?? null,
      accountEntropyPool: message.accountEntropyPool ?? null,
      aciKeys,
      pniKeys,
    };
  } finally {
    await chat.disconnect().catch(() => {});
  }
}

function uuidFrom(binary: Uint8Array | null | undefined, text: string | null | undefined, what: string): string {
  if (binary && binary.length === 16) return (what === 'aci' ? Aci.fromUuidBytes(binary) : Pni.fromUuidBytes(binary)).getRawUuid();
  if (text) return text.replace(/^PNI:/i, '').toLowerCase();
  throw new Error(`the phone sent no ${what.toUpperCase()}`);
}

function receiveProvisionMessage(net: Net, options: LinkOptions): Promise<ProvisionResult> {
  const ephemeral = PrivateKey.generate();
  return new Promise<ProvisionResult>((resolve, reject) => {
    let settled = false;
    let connection: { disconnect(): Promise<void> } | undefined;
    const finish = (err: Error | null, result?: ProvisionResult) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      // The provisioning socket is single-use; servers may keep it open, so close it ourselves.
      void connection?.disconnect().catch(() => {});
      if (err) reject(err);
      else resolve(result!);
    };
    const onAbort = () => finish(options.signal?.reason instanceof Error ? options.signal.reason : new Error('linking cancelled'));
    options.signal?.addEventListener('abort', onAbort);

    net
      .connectProvisioning(
        {
          onReceivedAddress(address, ack) {
            ack.send(200);
            const pubKey = Buffer.from(ephemeral.getPublicKey().serialize()).toString('base64');
            options.onLinkUri(`sgnl://linkdevice?uuid=${encodeURIComponent(address)}&pub_key=${encodeURIComponent(pubKey)}`);
          },
          onReceivedEnvelope(envelope, ack) {
            ack.send(200);
            try {
              const decoded = decodeProvisionEnvelope(envelope);
              if (!decoded.publicKey || !decoded.body) throw new Error('empty provisioning envelope');
              const plaintext = decryptProvisionEnvelope(ephemeral, { publicKey: decoded.publicKey, body: decoded.body });
              finish(null, { message: decodeProvisionMessage(plaintext) });
            } catch (err) {
              finish(err instanceof Error ? err : new Error(String(err)));
            }
          },
          onConnectionInterrupted(cause) {
            finish(new Error(`provisioning connection closed${cause ? `: ${cause.message}` : ''}`));
          },
        },
        { abortSignal: options.signal },
      )
      .then(
        (conn) => {
          connection = conn;
          if (settled) void conn.disconnect().catch(() => {});
        },
        (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
      );
  });
}
