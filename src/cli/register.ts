// `register` and `verify`: a phone number of its own for a bot, as signal-cli users set it up.
import { completeRegistration, startRegistration, type RegistrationContext } from '../messenger/registerAccount.js';
import { RegistrationError } from '../signal/registration.js';
import { stderrLog } from '../util/log.js';
import { dataDirOf, requireAccount, serverConfigOf } from './accountSetup.js';
import { UsageError, type Command, type CommandContext } from './command.js';

/** Exit status when Signal wants a captcha, so a script can tell it from other failures. */
export const EXIT_CAPTCHA_REQUIRED = 3;

function registrationContext(ctx: CommandContext): RegistrationContext {
  return {
    dataDir: dataDirOf(ctx),
    serverConfig: serverConfigOf(ctx),
    number: requireAccount(ctx),
    trustMode: ctx.global.trustNewIdentities,
    log: stderrLog(ctx.global.verbose),
  };
}

/** A failure the user can act on becomes its message and an exit status; anything else is a bug. */
async function reportingRegistrationErrors(ctx: CommandContext, fn: () => Promise<number>): Promise<number> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof RegistrationError)) throw err;
    ctx.stderr.write(`sigsock: ${err.message}\n`);
    return err.failure === 'captcha-required' ? EXIT_CAPTCHA_REQUIRED : 1;
  }
}

export const registerCommand: Command = {
  name: 'register',
  summary: 'register a phone number as a new Signal account of its own (then `verify` the code)',
  usage: '-a +NUMBER register [--voice] [--captcha TOKEN]',
  details: [
    'Asks Signal to send a verification code to the number by SMS (or a call with --voice).',
    'Signal usually wants a captcha first: the command then exits with status 3 and says where to',
    'solve one; run it again with --captcha and the "Open Signal" link (signalcaptcha://…, the',
    'prefix may be left out). Then: sigsock -a +NUMBER verify CODE.',
    'The number must not be in use by a phone you want to keep: registering moves it to sigsock.',
  ].join('\n'),
  options: {
    voice: { type: 'boolean', description: 'have the code read out in a phone call instead of an SMS' },
    captcha: { type: 'string', valueName: 'TOKEN', description: 'a solved captcha (signalcaptcha://… link or the token alone)' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`register takes no arguments (got "${ctx.positionals[0]}")`);
    const rc = registrationContext(ctx);
    return reportingRegistrationErrors(ctx, async () => {
      const transport = ctx.values.voice ? 'voice' : 'sms';
      const sent = await startRegistration(rc, { transport, captcha: ctx.values.captcha as string | undefined });
      ctx.stdout.write(`Verification code requested by ${transport === 'voice' ? 'voice call' : 'SMS'} for ${rc.number}.\n`);
      ctx.stderr.write(
        `Next: sigsock -a ${rc.number} verify CODE${sent.nextRequestSecs ? ` (a new code can be requested in ${sent.nextRequestSecs} s)` : ''}\n`,
      );
      return 0;
    });
  },
};

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'finish registering a number with the code Signal sent',
  usage: '-a +NUMBER verify CODE',
  details: 'Creates the account (identity keys, prekeys, profile key) and prints its ACI; the account is then ready for `socket`.',
  options: {
    pin: { type: 'string', valueName: 'PIN', description: 'not supported yet: a registration-lock PIN needs SVR2 (docs/account.md)' },
  },
  async run(ctx) {
    if (ctx.values.pin !== undefined) {
      throw new UsageError('verify --pin is not supported: unlocking a registration lock needs the Signal PIN in SVR2, an attested SGX enclave service that sigsock cannot use yet; turn the lock off on the phone that holds the number, or wait until it expires');
    }
    if (ctx.positionals.length !== 1) throw new UsageError('verify needs exactly one CODE (the digits Signal sent)');
    const code = ctx.positionals[0];
    if (!/^[\d\s-]{4,12}$/.test(code)) throw new UsageError(`"${code}" does not look like a verification code (digits, e.g. 123456 or 123-456)`);
    const rc = registrationContext(ctx);
    return reportingRegistrationErrors(ctx, async () => {
      const account = await completeRegistration(rc, code);
      ctx.stdout.write(`Registered ${account.number} (ACI ${account.aci})\n`);
      return 0;
    });
  },
};
