// The field checks the socket itself needs; the commands' own checks (addresses, group ids,
// attachments) are the engine's, in messenger/commands/validation.ts.
export { decodeBase64Strict, isPlainObject } from '../messenger/commands/validation.js';
