// link: this data directory becomes a linked device of an account whose phone scans a URI.
import { invalid } from './arguments.js';
import type { CommandDeclaration, DataDirectoryEnvironment } from './declaration.js';

export interface LinkParams {
  deviceName: string;
}

export interface LinkRunOptions {
  signal?: AbortSignal;
  /** Show this to the user (a QR code of it): their phone scans it. */
  onLinkUri(uri: string): void;
}

/** Arguments: name (the device name the phone shows; default "sigsock"). */
export const link: CommandDeclaration<DataDirectoryEnvironment, LinkParams, { number: string }, LinkRunOptions> = {
  name: 'link',
  on: 'dataDirectory',
  errors: ['INVALID_ARGUMENT', 'NETWORK', 'UNKNOWN'],
  parse(args) {
    const name = args.get('name') ?? 'sigsock';
    if (typeof name !== 'string' || name.trim() === '') throw invalid('INVALID_ARGUMENT', `${args.label('name')} must be a non-empty device name`);
    return { deviceName: name };
  },
  // Loaded when linking: the daemon, which serves this declaration's siblings, never needs it.
  run: async (env, params, options) => (await import('../linkAccount.js')).linkAccount({ ...env, deviceName: params.deviceName, signal: options.signal, onLinkUri: options.onLinkUri }),
};
