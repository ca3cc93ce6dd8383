// A file's bytes as an attachment to send: read chunk by chunk while it is encrypted and uploaded,
// so a large file is never in memory whole. Read again from the start on every pass (a retried upload).
import { closeSync, openSync, readSync, statSync } from 'node:fs';

const CHUNK = 64 * 1024;

/** The file changed size between the check and the send: what was sent would not be what was checked. */
export class FileChangedError extends Error {
  constructor(readonly path: string) {
    super(`${path} changed while it was being sent`);
    this.name = 'FileChangedError';
  }
}

export interface FileContent {
  readonly size: number;
  chunks(): Iterable<Uint8Array>;
}

/** The file at `path`, its size taken now; throws (ENOENT, EISDIR…) when it is not a file that can be stat'ed. */
export function fileContent(path: string): FileContent {
  const info = statSync(path);
  if (!info.isFile()) throw Object.assign(new Error(`EISDIR: ${path} is not a file`), { code: 'EISDIR', path });
  const { size } = info;
  return {
    size,
    *chunks() {
      const fd = openSync(path, 'r');
      try {
        let offset = 0;
        for (;;) {
          // A fresh buffer per chunk: the consumer may keep it (a cipher's input, a socket write).
          const buffer = Buffer.allocUnsafe(CHUNK);
          const n = readSync(fd, buffer, 0, CHUNK, offset);
          if (n === 0) break;
          offset += n;
          if (offset > size) throw new FileChangedError(path);
          yield buffer.subarray(0, n);
        }
        if (offset !== size) throw new FileChangedError(path);
      } finally {
        closeSync(fd);
      }
    },
  };
}
