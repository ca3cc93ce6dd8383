// Plain HTTPS for the servers that are not reached over the chat socket (CDNs, storage/groups).
import { request } from 'node:https';
import type { ServerConfig } from './serverConfig.js';

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface HttpsRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  timeoutMs?: number;
  /** Refuse bodies beyond this size (bounded memory on hostile or broken servers). */
  maxBodyBytes?: number;
}

function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

export type HttpsClient = (req: HttpsRequest) => Promise<HttpsResponse>;

export function httpsClient(config: ServerConfig): HttpsClient {
  const ca = config.rootCertificateDer ? derToPem(config.rootCertificateDer) : undefined;
  return (req) =>
    new Promise<HttpsResponse>((resolve, reject) => {
      const r = request(req.url, { method: req.method, headers: req.headers, ca, timeout: req.timeoutMs ?? 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (req.maxBodyBytes !== undefined && size > req.maxBodyBytes) {
            res.destroy(new Error(`response from ${new URL(req.url).host} exceeds ${req.maxBodyBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      r.on('timeout', () => r.destroy(new Error(`request to ${new URL(req.url).host} timed out`)));
      r.on('error', reject);
      r.end(req.body);
    });
}
