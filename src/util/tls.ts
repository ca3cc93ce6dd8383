// Loads the certificate and key for serving the protocol over TLS, and checks them before the
// server starts, so a wrong file is reported at startup rather than at the first client.
import { readFileSync, statSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

export interface TlsCredentials {
  /** PEM certificate, optionally followed by its chain. */
  cert: string | Buffer;
  /** PEM private key. */
  key: string | Buffer;
}

export function loadTlsCredentials(certPath: string, keyPath: string, warn: (line: string) => void): TlsCredentials {
  const cert = readPem(certPath, 'certificate');
  const key = readPem(keyPath, 'private key');
  try {
    createSecureContext({ cert, key });
  } catch (err) {
    throw new Error(`cannot use ${certPath} with ${keyPath}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  if (process.platform !== 'win32' && (statSync(keyPath).mode & 0o077) !== 0) {
    warn(`warning: the TLS private key ${keyPath} is accessible to other users; consider: chmod 600 ${keyPath}`);
  }
  return { cert, key };
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read the TLS ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
}
