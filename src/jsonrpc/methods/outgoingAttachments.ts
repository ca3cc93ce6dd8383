// `attachments` as signal-cli takes them: a file path the daemon can read, or a data URI
// (`data:<MIME-TYPE>;filename=<FILENAME>;base64,<DATA>`). Each becomes the engine's attachment
// argument with its bytes already decoded, or a file read chunk by chunk while it is sent.
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { PreDecodedBase64 } from '../../messenger/commands/attachments.js';
import { decodeBase64Strict } from '../../messenger/commands/validation.js';
import { fileContent } from '../../util/fileContent.js';
import { RpcError, USER_ERROR } from '../protocol.js';

export interface AttachmentArgument {
  base64Data: PreDecodedBase64;
  filename?: string;
  contentType?: string;
}

const DATA_URI = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s;

export async function readAttachments(values: unknown[], maxBytes: number): Promise<AttachmentArgument[]> {
  const out: AttachmentArgument[] = [];
  for (const [index, value] of values.entries()) {
    if (typeof value !== 'string' || value.length === 0) throw new RpcError(USER_ERROR, `attachment ${index}: expected a file path or a data: URI`);
    out.push(value.startsWith('data:') ? fromDataUri(value, index, maxBytes) : await fromFile(value, index, maxBytes));
  }
  return out;
}

function fromDataUri(uri: string, index: number, maxBytes: number): AttachmentArgument {
  const match = DATA_URI.exec(uri);
  const fail = (why: string) => new RpcError(USER_ERROR, `attachment ${index}: ${why}`);
  if (!match) throw fail('not a data URI (data:<MIME-TYPE>;filename=<FILENAME>;base64,<DATA>)');
  const [, mime, parameters, data] = match;
  const attributes = parameters.split(';').filter(Boolean);
  if (!attributes.includes('base64')) throw fail('only base64 data URIs are supported (…;base64,<DATA>)');
  const filename = attributes.find((a) => a.startsWith('filename='))?.slice('filename='.length);
  const bytes = decodeBase64Strict(data, maxBytes, (n) => fail(`${n} bytes is larger than the limit of ${maxBytes} bytes`));
  if (!bytes) throw fail('the data URI is not valid base64');
  return { base64Data: new PreDecodedBase64(bytes), ...(filename && { filename: decodeURIComponent(filename) }), ...(mime && { contentType: mime }) };
}

async function fromFile(path: string, index: number, maxBytes: number): Promise<AttachmentArgument> {
  const fail = (why: string, cause?: unknown) => new RpcError(USER_ERROR, `attachment ${index}: ${why}`, undefined, { cause });
  try {
    const info = await stat(path);
    if (!info.isFile()) throw fail(`${path} is not a file`);
    if (info.size > maxBytes) throw fail(`${path} has ${info.size} bytes, more than the limit of ${maxBytes} bytes`);
    return { base64Data: new PreDecodedBase64(fileContent(path)), filename: basename(path) };
  } catch (err) {
    if (err instanceof RpcError) throw err;
    throw fail(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, err);
  }
}
