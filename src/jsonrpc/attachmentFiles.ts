// Received attachments as signal-cli hands them to JSON-RPC clients: files in the data directory's
// attachments/ folder, named by an `id` the notification carries; `getAttachment` reads one back.
// The id is derived from the content (a hash), so pushing the same entry again (a client left
// mid-push, the entry went back to the inbox) writes the same file, not a second one.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ID = /^[0-9a-f]{32}(\.[a-z0-9]{1,8})?$/;

export class AttachmentFiles {
  constructor(readonly directory: string) {}

  /** Writes the bytes (0600 in a 0700 folder) unless the file is there already; returns its id. */
  save(bytes: Uint8Array, filename: string | null): string {
    const id = createHash('sha256').update(bytes).digest('hex').slice(0, 32) + extensionOf(filename);
    mkdirSync(this.directory, { recursive: true, mode: 0o700 });
    const path = join(this.directory, id);
    if (existsSync(path)) return id;
    // Written aside and renamed, so a file under its id is always whole (a crash leaves a .part).
    const part = `${path}.${process.pid}.part`;
    writeFileSync(part, bytes, { mode: 0o600 });
    renameSync(part, path);
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
