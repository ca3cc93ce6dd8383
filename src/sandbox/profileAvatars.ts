// Profile avatars on the local network, which mock-server 27 does not keep. As Signal-Server does:
// PUT /v1/profile with `avatar: true` answers with a CDN 0 upload form and points the profile at
// its key at once, `sameAvatar: false` without a new one removes the avatar, GET /v1/profile/...
// names the key in `avatar`; CDN 0 takes the encrypted image as an S3-style multipart POST to `/`
// and serves it at GET /<key>. Only forms this server issued are accepted.
import { randomBytes } from 'node:crypto';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { Device, Server } from '@signalapp/mock-server';
import type { MockRouteHandler, MockRouter } from './mockInternals.js';

const MAX_UPLOAD_BYTES = 11 * 1024 * 1024;
const PROFILE_PATHS = ['/v1/profile/x', '/v1/profile/x/1', '/v1/profile/x/1/2'];

export class ProfileAvatars {
  private readonly keyByAci = new Map<string, string>();
  private readonly blobs = new Map<string, Buffer>();

  constructor(private readonly server: Server) {}

  /** The encrypted avatar the account with `aci` uploaded, if any. */
  avatarOf(aci: string): { key: string; blob: Buffer | undefined } | undefined {
    const key = this.keyByAci.get(aci);
    return key ? { key, blob: this.blobs.get(key) } : undefined;
  }

  install(router: MockRouter, device: () => Device | undefined): void {
    const put = router.routes.find((r) => r.method === 'PUT' && r.pattern.match('/v1/profile'));
    if (!put) throw new Error('mock-server changed: no PUT /v1/profile route to wrap');
    put.handler = this.afterPutProfile(put.handler, device);
    const gets = router.routes.filter((r) => r.method === 'GET' && PROFILE_PATHS.some((p) => r.pattern.match(p)));
    if (gets.length === 0) throw new Error('mock-server changed: no GET /v1/profile routes to wrap');
    for (const route of gets) route.handler = this.withAvatarKey(route.handler);
  }

  /** Serves CDN 0's avatar upload and download; false for any other request. */
  handleHttp(req: Http2ServerRequest, res: Http2ServerResponse): boolean {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/') {
      void this.receiveUpload(req, res);
      return true;
    }
    if (req.method === 'GET' && path?.startsWith('/profiles/')) {
      const blob = this.blobs.get(decodeURIComponent(path.slice(1)));
      res.writeHead(blob ? 200 : 404, { 'content-type': 'application/octet-stream' });
      res.end(blob ?? '');
      return true;
    }
    return false;
  }

  private afterPutProfile(original: MockRouteHandler, device: () => Device | undefined): MockRouteHandler {
    return async (params, body, headers, query) => {
      const reply = await original(params, body, headers, query);
      const self = device();
      if (reply[0] !== 200 || !self) return reply;
      const request = JSON.parse(Buffer.from(body ?? []).toString('utf8')) as { avatar?: unknown; sameAvatar?: unknown };
      if (request.avatar === true) {
        const key = `profiles/${randomBytes(16).toString('base64url')}`;
        this.forget(self.aci);
        this.keyByAci.set(self.aci, key);
        return [200, uploadForm(key)];
      }
      if (request.sameAvatar !== true) this.forget(self.aci);
      return reply;
    };
  }

  private withAvatarKey(original: MockRouteHandler): MockRouteHandler {
    return async (params, body, headers, query) => {
      const reply = await original(params, body, headers, query);
      const [status, json] = reply;
      const target = params.serviceId ? await this.server.getDeviceByServiceId(params.serviceId as never) : undefined;
      const key = target && this.keyByAci.get(target.aci);
      if (status !== 200 || !key || typeof json !== 'object' || json === null) return reply;
      return [status, { ...json, avatar: key }, reply[2]];
    };
  }

  private forget(aci: string): void {
    const key = this.keyByAci.get(aci);
    if (key) this.blobs.delete(key);
    this.keyByAci.delete(aci);
  }

  private async receiveUpload(req: Http2ServerRequest, res: Http2ServerResponse): Promise<void> {
    const answer = (status: number, text = '') => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(text);
    };
    try {
      const boundary = /boundary=("?)([^";]+)\1/.exec(String(req.headers['content-type'] ?? ''))?.[2];
      if (!boundary) return answer(400, 'not multipart/form-data');
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_UPLOAD_BYTES) return answer(400, 'EntityTooLarge');
        chunks.push(chunk);
      }
      const fields = parseMultipart(Buffer.concat(chunks), boundary);
      const key = fields.get('key')?.toString('utf8');
      const file = fields.get('file');
      const signed = ['x-amz-credential', 'x-amz-algorithm', 'x-amz-date', 'policy', 'x-amz-signature', 'acl'].every((f) => fields.has(f));
      if (!key || !file || !signed) return answer(400, 'the form is incomplete');
      if (![...this.keyByAci.values()].includes(key)) return answer(403, 'AccessDenied: no form was issued for this key');
      this.blobs.set(key, file);
      answer(204);
    } catch (err) {
      answer(400, (err as Error).message);
    }
  }
}

function uploadForm(key: string): Record<string, string> {
  const date = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  return {
    key,
    credential: `SANDBOX/${date.slice(0, 8)}/us-east-1/s3/aws4_request`,
    acl: 'private',
    algorithm: 'AWS4-HMAC-SHA256',
    date,
    policy: Buffer.from(JSON.stringify({ conditions: [{ key }] })).toString('base64'),
    signature: randomBytes(32).toString('hex'),
  };
}

/** The named parts of a multipart/form-data body. */
export function parseMultipart(body: Buffer, boundary: string): Map<string, Buffer> {
  const fields = new Map<string, Buffer>();
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) throw new Error('multipart body ends without its closing boundary');
    // A part: CRLF, headers, CRLF CRLF, content, CRLF (before the next delimiter).
    const part = body.subarray(start + 2, next - 2);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd === -1) throw new Error('a multipart part has no header end');
    const name = /name="([^"]*)"/.exec(part.subarray(0, headerEnd).toString('utf8'))?.[1];
    if (name !== undefined) fields.set(name, Buffer.from(part.subarray(headerEnd + 4)));
    at = next;
  }
  return fields;
}
