// Attachment blobs on Signal's CDNs: upload through an upload form (tus on CDN 3), download by key.
import { randomBytes } from 'node:crypto';
import type { AuthenticatedChatConnection } from '@signalapp/libsignal-client/dist/net.js';
import type { HttpsClient } from './https.js';
import type { ServerConfig } from './serverConfig.js';

export interface UploadedBlob {
  cdnNumber: number;
  cdnKey: string;
}

/** A blob to upload, whole or as chunks produced while it is sent (attachment encryption). */
export interface UploadBody {
  length: number;
  chunks: Iterable<Uint8Array>;
}

export async function uploadBlob(chat: AuthenticatedChatConnection, https: HttpsClient, body: UploadBody): Promise<UploadedBlob> {
  const form = await chat.getUploadForm({ uploadSize: BigInt(body.length) });
  if (form.cdn !== 3) throw new Error(`upload to CDN ${form.cdn} is not supported (only CDN 3)`);
  const headers: Record<string, string> = Object.fromEntries(form.headers);
  const res = await https({
    method: 'POST',
    url: form.signedUploadUrl.toString(),
    headers: {
      ...headers,
      'Tus-Resumable': '1.0.0',
      'Upload-Length': String(body.length),
      'Content-Type': 'application/offset+octet-stream',
      'Content-Length': String(body.length),
    },
    body: body.chunks,
    timeoutMs: 120_000,
  });
  if (res.status !== 201 && res.status !== 200 && res.status !== 204) {
    throw new Error(`attachment upload failed: HTTP ${res.status}`);
  }
  return { cdnNumber: form.cdn, cdnKey: form.key };
}

/**
 * Downloads a blob into `onChunk` as it arrives (never held whole). A throw from `onChunk` ends the
 * download with that error. A failed attempt may have delivered some chunks already: the caller
 * starts over on a retry.
 */
export async function downloadBlob(
  config: ServerConfig,
  https: HttpsClient,
  cdnNumber: number,
  key: string,
  maxBytes: number,
  onChunk: (chunk: Buffer) => void,
): Promise<void> {
  const base = config.cdnUrls[String(cdnNumber)];
  if (!base) throw new Error(`no URL configured for CDN ${cdnNumber}`);
  const res = await https({ method: 'GET', url: `${base}/attachments/${encodeURIComponent(key)}`, maxBodyBytes: maxBytes, timeoutMs: 120_000, onBodyChunk: onChunk });
  if (res.status !== 200) throw new CdnStatusError(res.status);
  // A client that does not stream (a test's) returns the body whole.
  if (res.body.length > 0) onChunk(res.body);
}

/** The CDN answered, but not with the blob. */
export class CdnStatusError extends Error {
  constructor(
    readonly status: number,
    what = 'attachment download',
  ) {
    super(`${what} failed: HTTP ${status}`);
    this.name = 'CdnStatusError';
  }
}

/** An S3-style POST form for CDN 0 (profile avatars): where the server lets the blob go. */
export interface Cdn0UploadForm {
  key: string;
  credential: string;
  acl: string;
  algorithm: string;
  date: string;
  policy: string;
  signature: string;
}

/** Posts `blob` to CDN 0 as multipart/form-data, the fields in the order S3 and Signal clients use. */
export async function postToCdn0(config: ServerConfig, https: HttpsClient, form: Cdn0UploadForm, blob: Uint8Array): Promise<void> {
  const base = config.cdnUrls['0'];
  if (!base) throw new Error('no URL configured for CDN 0');
  const boundary = `----sigsock${randomBytes(16).toString('hex')}`;
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const head =
    field('key', form.key) +
    field('x-amz-credential', form.credential) +
    field('acl', form.acl) +
    field('x-amz-algorithm', form.algorithm) +
    field('x-amz-date', form.date) +
    field('policy', form.policy) +
    field('x-amz-signature', form.signature) +
    field('Content-Type', 'application/octet-stream') +
    `--${boundary}\r\nContent-Disposition: form-data; name="file"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  const body = Buffer.concat([Buffer.from(head, 'utf8'), blob, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
  const res = await https({
    method: 'POST',
    url: `${base}/`,
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(body.length) },
    body,
    timeoutMs: 120_000,
  });
  if (res.status < 200 || res.status >= 300) throw new CdnStatusError(res.status, 'upload to CDN 0');
}
