// trust: accept a contact's current identity key, so sends to them are no longer blocked.
import type { Messenger } from '../api.js';
import type { CommandDeclaration } from './declaration.js';
import { parseAddress } from './validation.js';

export interface TrustParams {
  recipient: string;
  verified: boolean;
}

export interface TrustResult {
  recipient: string;
  aci: string;
  safetyNumber: string | null;
}

/** Arguments: recipient, verified (true: the safety numbers were compared). */
export const trust: CommandDeclaration<Pick<Messenger, 'trustIdentity'>, TrustParams, TrustResult> = {
  name: 'trust',
  on: 'account',
  errors: ['INVALID_NUMBER', 'NETWORK', 'UNKNOWN'],
  parse: (args) => ({ recipient: parseAddress(args.get('recipient'), args.label('recipient')), verified: args.get('verified') === true }),
  run: async (engine, params) => ({ recipient: params.recipient, ...(await engine.trustIdentity(params.recipient, params.verified)) }),
};
