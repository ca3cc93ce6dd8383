// register and verify: a phone number of its own for a bot, in two runs (the code arrives between).
import type { CodeSent } from '../../signal/registration.js';
import type { AccountCredentials } from '../../signal/accountCredentials.js';
import { invalid } from './arguments.js';
import type { CommandDeclaration, DataDirectoryEnvironment } from './declaration.js';
import { parsePhoneNumber } from './validation.js';

export interface RegisterParams {
  number: string;
  transport: 'sms' | 'voice';
  captcha?: string;
}

/** Arguments: number, voice (true: a call instead of an SMS), captcha. */
export const register: CommandDeclaration<DataDirectoryEnvironment, RegisterParams, CodeSent> = {
  name: 'register',
  on: 'dataDirectory',
  errors: ['INVALID_NUMBER', 'INVALID_ARGUMENT', 'CAPTCHA_REQUIRED', 'REGISTRATION_REFUSED', 'NETWORK', 'UNKNOWN'],
  parse(args) {
    const captcha = args.get('captcha');
    if (captcha !== undefined && (typeof captcha !== 'string' || captcha.trim() === '')) throw invalid('INVALID_ARGUMENT', `${args.label('captcha')} must be a solved captcha token`);
    return { number: parsePhoneNumber(args.get('number'), args.label('number')), transport: args.get('voice') === true ? 'voice' : 'sms', captcha };
  },
  // Registration is loaded when it runs: the daemon, which serves this declaration's siblings, never needs it.
  run: async (env, params) => (await import('../registerAccount.js')).startRegistration({ ...env, number: params.number }, { transport: params.transport, captcha: params.captcha }),
};

export interface VerifyParams {
  number: string;
  code: string;
}

/** Arguments: number, code (the digits Signal sent; spaces and dashes allowed), pin (not supported). */
export const verify: CommandDeclaration<DataDirectoryEnvironment, VerifyParams, AccountCredentials> = {
  name: 'verify',
  on: 'dataDirectory',
  errors: ['INVALID_NUMBER', 'INVALID_ARGUMENT', 'REGISTRATION_REFUSED', 'NETWORK', 'UNKNOWN'],
  parse(args) {
    if (args.get('pin') !== undefined) {
      throw invalid(
        'INVALID_ARGUMENT',
        `${args.label('pin')} is not supported: unlocking a registration lock needs the Signal PIN in SVR2, an attested SGX enclave service that sigsock cannot use yet; turn the lock off on the phone that holds the number, or wait until it expires`,
      );
    }
    const number = parsePhoneNumber(args.get('number'), args.label('number'));
    const code = args.get('code');
    if (typeof code !== 'string' || !/^[\d\s-]{4,12}$/.test(code)) {
      throw invalid('INVALID_ARGUMENT', `${JSON.stringify(code) ?? 'nothing'} does not look like a verification code (digits, e.g. 123456 or 123-456)`);
    }
    return { number, code };
  },
  run: async (env, params) => (await import('../registerAccount.js')).completeRegistration({ ...env, number: params.number }, params.code),
};
