// Reads the auth token from its file, refusing a file other users could read or change: a token
// anyone on the machine can see protects nothing.
import { readFileSync, statSync } from 'node:fs';

/** Shortest token accepted without complaint; `openssl rand -hex 32` gives 64 characters. */
export const RECOMMENDED_TOKEN_LENGTH = 32;

export class TokenFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenFileError';
  }
}

/** The token: the file's one line, without its line ending. Throws a TokenFileError saying what to fix. */
export function readTokenFile(path: string): string {
  let stats;
  try {
    stats = statSync(path);
  } catch (err) {
    throw new TokenFileError(`cannot read the auth token file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  if (!stats.isFile()) throw new TokenFileError(`the auth token file ${path} is not a regular file`);
  const loose = stats.mode & 0o077;
  if (loose !== 0 && process.platform !== 'win32') {
    const mode = (stats.mode & 0o777).toString(8).padStart(4, '0');
    throw new TokenFileError(
      `the auth token file ${path} is accessible to other users (mode ${mode}); ` + `make it private with: chmod 600 ${path}`,
    );
  }
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 0 || lines[0].trim() === '') {
    throw new TokenFileError(`the auth token file ${path} is empty; create a token with: openssl rand -hex 32 > ${path}`);
  }
  if (lines.length > 1) throw new TokenFileError(`the auth token file ${path} must hold exactly one line, the token`);
  // Surrounding blanks are never meant as part of a token, and would be hard to type in a client.
  return lines[0].trim();
}
