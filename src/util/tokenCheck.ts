// Checking a presented auth token against the configured one, for every front-end that takes a
// token (the seed socket, JSON-RPC on TCP and HTTP).
import { createHash, timingSafeEqual } from 'node:crypto';

/** Tells whether a presented token is the configured one. */
export type TokenCheck = (presented: unknown) => boolean;

/**
 * Compares in constant time: both sides are hashed first, so neither the token's length nor the
 * position of the first wrong character shows in how long the comparison takes.
 */
export function tokenCheck(token: string): TokenCheck {
  if (token.length === 0) throw new Error('the auth token is empty');
  const expected = digest(token);
  return (presented) => typeof presented === 'string' && timingSafeEqual(digest(presented), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
