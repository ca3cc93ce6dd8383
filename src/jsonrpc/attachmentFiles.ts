// Received attachments as signal-cli hands them to JSON-RPC clients: files in the data directory's
// attachments/ folder, named by an `id` the notification carries; `getAttachment` reads one back.
// The id is derived from the content (a hash), so pushing the same entry again (a client left
// mid-push, the entry went back to the inbox) writes the same file, not a second one. The bytes
// are copied from the inbox's file chunk by chunk, never held whole.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { AttachmentContent } from '../messenger/api.js';

const ID = /^[0-9a-f]{32}(\.[a-z0-9]{1,8})?$/;

export class AttachmentFiles {
  constructor(readonly directory: string) {}

  /** Writes the bytes (0600 in a 0700 folder) unless the file is there already; returns its id. */
  save(content: AttachmentContent, filename: string | null): string {
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    // Written aside while hashed, then renamed to its id, so a file under its id is always whole
    // (a crash leaves a .part).
    const part = join(this.directory, `${process.pid}.${Date.now()}.part`);
    const hash = createHash('sha256');
    const fd = openSync(part, 'w', 0o600);
    try {
      for (const chunk of content.chunks()) {
        hash.update(chunk);
        for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at, chunk.length - at);
      }
      fsyncSync(fd);
    } catch (err) {
      closeSync(fd);
      rmSync(part, { force: true });
      throw err;
    }
    closeSync(fd);
    const id = hash.digest('hex').slice(0, 32) + extensionOf(filename);
    const path = join(this.directory, id);
    if (existsSync(path)) rmSync(part, { force: true });
    else renameSync(part, path);
    return id;
  }

  /** The file's bytes; null when `id` is not an id this folder could hold, or no such file exists. */
  read(id: string): Buffer | null {
    if (!ID.test(id)) return null;
    try {
      return readFileSync(join(this.directory, id));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}

function extensionOf(filename: string | null): string {
  const match = filename ? /\.([A-Za-z0-9]{1,8})$/.exec(filename) : null;
  return match ? `.${match[1].toLowerCase()}` : '';
}
