// Attachment blobs on Signal's CDNs: upload through an upload form (tus on CDN 3), download by key.
import type { AuthenticatedChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import type { HttpsClient } from './https.js';
import type { ServerConfig } from './serverConfig.js';

export interface UploadedBlob {
  cdnNumber: number;
  cdnKey: string;
}

export async function uploadBlob(chat: AuthenticatedChatConnection, https: HttpsClient, blob: Uint8Array): Promise<UploadedBlob> {
  const form = await chat.getUploadForm({ uploadSize: BigInt(blob.length) });
  if (form.cdn !== 3) throw new Error(`upload to CDN ${form.cdn} is not supported (only CDN 3)`);
  const headers: Record<string, string> = Object.fromEntries(form.headers);
  const res = await https({
    method: 'POST',
    url: form.signedUploadUrl.toString(),
    headers: {
      ...headers,
      'Tus-Resumable': '1.0.0',
      'Upload-Length': String(blob.length),
      'Content-Type': 'application/offset+octet-stream',
      'Content-Length': String(blob.length),
    },
    body: blob,
    timeoutMs: 120_000,
  });
  if (res.status !== 201 && res.status !== 200 && res.status !== 204) {
    throw new Error(`attachment upload failed: HTTP ${res.status}`);
  }
  return { cdnNumber: form.cdn, cdnKey: form.key };
}

export async function downloadBlob(
  config: ServerConfig,
  https: HttpsClient,
  cdnNumber: number,
  key: string,
  maxBytes: number,
): Promise<Buffer> {
  const base = config.cdnUrls[String(cdnNumber)];
  if (!base) throw new Error(`no URL configured for CDN ${cdnNumber}`);
  const res = await https({ method: 'GET', url: `${base}/attachments/${encodeURIComponent(key)}`, maxBodyBytes: maxBytes, timeoutMs: 120_000 });
  if (res.status !== 200) throw new CdnStatusError(res.status);
  return res.body;
}

/** The CDN answered, but not with the blob. */
export class CdnStatusError extends Error {
  constructor(readonly status: number) {
    super(`attachment download failed: HTTP ${status}`);
    this.name = 'CdnStatusError';
  }
}
