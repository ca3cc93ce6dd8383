// `register`: a phone number of its own for a bot, as signal-cli users set it up (then `verify`).
import { CommandArguments, register } from '../messenger/commands/index.js';
import { EXIT_CAPTCHA_REQUIRED, environmentOf, parseArguments, reportingFailures, requireAccount } from './accountSetup.js';
import { UsageError, type Command } from './command.js';
import { sigsockCommandLine } from './commandLine.js';

export const registerCommand: Command = {
  name: 'register',
  summary: 'register a phone number as a new Signal account of its own (then `verify` the code)',
  usage: '-a +NUMBER register [--voice] [--captcha TOKEN]',
  details: [
    'Asks Signal to send a verification code to the number by SMS (or a call with --voice).',
    'Signal usually wants a captcha first: the command then exits with status 3 and says where to',
    'solve one; run it again with --captcha and the "Open Signal" link (signalcaptcha://…, the',
    'prefix may be left out). Then: sigsock -a +NUMBER verify CODE, with the same --config and',
    '--server-config: verify refuses a session that register started on another server.',
    'The number must not be in use by a phone you want to keep: registering moves it to sigsock.',
  ].join('\n'),
  options: {
    voice: { type: 'boolean', description: 'have the code read out in a phone call instead of an SMS' },
    captcha: { type: 'string', valueName: 'TOKEN', description: 'a solved captcha (signalcaptcha://… link or the token alone)' },
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) throw new UsageError(`register takes no arguments (got "${ctx.positionals[0]}")`);
    const args = new CommandArguments({ number: requireAccount(ctx, false), voice: ctx.values.voice === true, captcha: ctx.values.captcha }, { number: '-a', captcha: '--captcha' });
    const params = parseArguments(register, args);
    const status = await reportingFailures(ctx, async () => {
      const sent = await register.run(environmentOf(ctx), params, {});
      ctx.stdout.write(`Verification code requested by ${params.transport === 'voice' ? 'voice call' : 'SMS'} for ${params.number}.\n`);
      ctx.stderr.write(
        `Next: ${sigsockCommandLine(ctx.global, params.number, 'verify CODE')}${sent.nextRequestSecs ? ` (a new code can be requested in ${sent.nextRequestSecs} s)` : ''}\n`,
      );
      return 0;
    });
    if (status === EXIT_CAPTCHA_REQUIRED) {
      ctx.stderr.write(`Next: ${sigsockCommandLine(ctx.global, params.number, `register${params.transport === 'voice' ? ' --voice' : ''} --captcha LINK`)}\n`);
    }
    return status;
  },
};
