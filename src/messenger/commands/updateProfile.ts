// updateProfile: the name, about text and avatar contacts see.
import type { ProfileChange } from '../ownProfile.js';
import { invalid } from './arguments.js';
import type { AccountEngine, CommandDeclaration } from './declaration.js';

/**
 * Arguments: givenName, familyName, about, aboutEmoji (strings; empty clears, absent keeps),
 * avatar (image bytes, or null to remove it).
 */
export const updateProfile: CommandDeclaration<Pick<AccountEngine, 'updateProfile'>, ProfileChange, void> = {
  name: 'updateProfile',
  on: 'account',
  errors: ['INVALID_ARGUMENT', 'NETWORK', 'UNKNOWN'],
  parse(args) {
    const text = (name: string): string | undefined => {
      const value = args.get(name);
      if (value === undefined || typeof value === 'string') return value;
      throw invalid('INVALID_ARGUMENT', `${args.label(name)} must be a string`);
    };
    const givenName = text('givenName')?.trim();
    if (givenName === '') throw invalid('INVALID_ARGUMENT', `${args.label('givenName')} cannot be empty`);
    const change: ProfileChange = { givenName, familyName: text('familyName'), about: text('about'), aboutEmoji: text('aboutEmoji'), avatar: parseAvatar(args.get('avatar'), args.label('avatar')) };
    if (Object.values(change).every((v) => v === undefined)) {
      const names = ['givenName', 'familyName', 'about', 'aboutEmoji', 'avatar'].map((n) => args.label(n));
      throw invalid('INVALID_ARGUMENT', `updateProfile needs something to change: ${names.join(', ')}`);
    }
    return change;
  },
  run: (engine, change) => engine.updateProfile(change),
};

function parseAvatar(value: unknown, field: string): Uint8Array | null | undefined {
  if (value === undefined || value === null) return value;
  if (!(value instanceof Uint8Array)) throw invalid('INVALID_ARGUMENT', `${field} must be image bytes`);
  if (value.length === 0) throw invalid('INVALID_ARGUMENT', `${field} is empty`);
  if (!imageKind(value)) throw invalid('INVALID_ARGUMENT', `${field} is not a JPEG, PNG, GIF or WebP image; Signal apps would show nothing`);
  return value;
}

/** The image formats Signal apps show as avatars, by their first bytes. */
function imageKind(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && Buffer.from(bytes.subarray(8, 12)).toString('latin1') === 'WEBP') return 'webp';
  return null;
}
