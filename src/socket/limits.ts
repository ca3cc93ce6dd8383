// Every size and time bound of the socket protocol in one place, so the CLI can expose them.
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_VALUES } from './jsonReader.js';

export interface SocketLimits {
  /** Largest command, in bytes of JSON text (attachments travel inside it as base64). */
  maxCommandBytes: number;
  /** Deepest nesting of objects and arrays in a command. */
  maxNestingDepth: number;
  /**
   * Most JSON values (objects, arrays, strings, numbers, words) in one command or batch. Each
   * costs far more memory parsed than as text, so the text size limit alone does not bound memory.
   */
  maxCommandValues: number;
  /** Largest decoded attachment. */
  maxAttachmentBytes: number;
  /** Longest `receive_messages` timeout; larger ones are cut to this. */
  maxReceiveTimeoutMs: number;
  /** Commands read but not yet answered on one connection before reading pauses. */
  maxPendingPerConnection: number;
  /** How long `close()` lets in-flight commands finish and their answers flush. */
  shutdownGraceMs: number;
  /** Open connections at most; one more gets an error line and is closed. */
  maxConnections: number;
  /**
   * A connection that sends nothing, reads nothing and has no command running for this long is
   * closed; 0 never closes. A `receive_messages` waiting for messages is a running command.
   */
  idleTimeoutMs: number;
  /** With an auth token: rejected attempts before authenticating, after which the connection is closed. */
  maxAuthFailures: number;
  /** With an auth token: the largest command before authenticating, so strangers cannot make the daemon buffer `maxCommandBytes`. */
  maxCommandBytesBeforeAuth: number;
  /** A TLS client that has not completed its handshake this long after connecting is dropped. */
  tlsHandshakeTimeoutMs: number;
}

export const DEFAULT_LIMITS: SocketLimits = {
  maxCommandBytes: DEFAULT_MAX_VALUE_BYTES,
  maxNestingDepth: DEFAULT_MAX_DEPTH,
  maxCommandValues: DEFAULT_MAX_VALUES,
  maxAttachmentBytes: 100 * 1024 * 1024,
  maxReceiveTimeoutMs: 60 * 60 * 1000,
  maxPendingPerConnection: 256,
  shutdownGraceMs: 5000,
  maxConnections: 1000,
  idleTimeoutMs: 10 * 60 * 1000,
  maxAuthFailures: 3,
  maxCommandBytesBeforeAuth: 64 * 1024,
  tlsHandshakeTimeoutMs: 10_000,
};

export function resolveLimits(overrides: Partial<SocketLimits> = {}): SocketLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof SocketLimits, number | undefined][]) {
    if (value !== undefined) limits[key] = value;
  }
  return limits;
}
