// Plain HTTPS for the servers that are not reached over the chat socket (CDNs, storage/groups).
import type { ClientRequest } from 'node:http';
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
  /** The body at once, or chunk by chunk (written as the connection takes them; set Content-Length). */
  body?: Uint8Array | Iterable<Uint8Array>;
  timeoutMs?: number;
  /** Refuse bodies beyond this size (bounded memory on hostile or broken servers). */
  maxBodyBytes?: number;
  /**
   * A 2xx body goes here chunk by chunk instead of into `body` (which is then empty), so a large
   * download is never held whole; a throw ends the request with that error. Other statuses'
   * bodies are collected as usual.
   */
  onBodyChunk?: (chunk: Buffer) => void;
}

function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** The server did not answer within the request's timeout. */
export class RequestTimeoutError extends Error {
  constructor(readonly host: string) {
    super(`request to ${host} timed out`);
    this.name = 'RequestTimeoutError';
  }
}

export type HttpsClient = (req: HttpsRequest) => Promise<HttpsResponse>;

export function httpsClient(config: ServerConfig): HttpsClient {
  const ca = config.rootCertificateDer ? derToPem(config.rootCertificateDer) : undefined;
  return (req) =>
    new Promise<HttpsResponse>((resolve, reject) => {
      const r = request(req.url, { method: req.method, headers: req.headers, ca, timeout: req.timeoutMs ?? 60_000 }, (res) => {
        const stream = req.onBodyChunk && (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300 ? req.onBodyChunk : null;
        const body = new BodyCollector(stream ? 0 : Number(res.headers['content-length']), req.maxBodyBytes);
        res.on('data', (chunk: Buffer) => {
          if (!body.add(chunk, stream !== null)) return res.destroy(new Error(`response from ${new URL(req.url).host} exceeds ${req.maxBodyBytes} bytes`));
          if (!stream) return;
          try {
            stream(chunk);
          } catch (err) {
            res.destroy(err instanceof Error ? err : new Error(String(err)));
          }
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: body.result() }));
        res.on('error', reject);
      });
      r.on('timeout', () => r.destroy(new RequestTimeoutError(new URL(req.url).host)));
      r.on('error', reject);
      if (req.body === undefined || req.body instanceof Uint8Array) r.end(req.body);
      else void writeChunks(r, req.body).catch((err: unknown) => r.destroy(err instanceof Error ? err : new Error(String(err))));
    });
}

/** Writes each chunk once the request took the one before, so only a few are in memory at once. */
async function writeChunks(r: ClientRequest, chunks: Iterable<Uint8Array>): Promise<void> {
  for (const chunk of chunks) {
    if (r.destroyed) return;
    if (!r.write(chunk)) await new Promise<void>((resolve) => {
      const done = () => {
        r.off('drain', done);
        r.off('close', done);
        resolve();
      };
      r.on('drain', done);
      r.on('close', done);
    });
  }
  r.end();
}

/**
 * A response body. With a believable Content-Length the chunks are copied into one buffer as they
 * arrive (a 100 MiB attachment would otherwise be held twice: the chunks, then their concatenation).
 */
class BodyCollector {
  private readonly whole: Buffer | null;
  /** Bytes copied into `whole`; anything beyond (a server sending more than it declared) is in `extra`. */
  private filled = 0;
  private readonly extra: Buffer[] = [];
  private size = 0;

  constructor(
    declaredLength: number,
    private readonly maxBytes: number | undefined,
  ) {
    const usable = Number.isSafeInteger(declaredLength) && declaredLength > 0 && (maxBytes === undefined || declaredLength <= maxBytes);
    this.whole = usable ? Buffer.allocUnsafe(declaredLength) : null;
  }

  /** False when the body grew beyond the limit; `countOnly` for a body streamed elsewhere. */
  add(chunk: Buffer, countOnly = false): boolean {
    if (this.maxBytes !== undefined && this.size + chunk.length > this.maxBytes) return false;
    this.size += chunk.length;
    if (countOnly) return true;
    if (this.whole && this.extra.length === 0 && this.filled + chunk.length <= this.whole.length) {
      chunk.copy(this.whole, this.filled);
      this.filled += chunk.length;
    } else {
      this.extra.push(chunk);
    }
    return true;
  }

  result(): Buffer {
    const head = this.whole ? this.whole.subarray(0, this.filled) : Buffer.alloc(0);
    return this.extra.length === 0 ? head : Buffer.concat([head, ...this.extra]);
  }
}
