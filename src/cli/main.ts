// Entry point: global options, then a command name, then that command's options.
import { parseArgs } from 'node:util';
import { GLOBAL_OPTIONS, UsageError, commandHelp, formatOptions, stripDescriptions, parseCommandArgs, type Command, type CommandContext, type GlobalOptions } from './command.js';
import { COMMANDS } from './commands.js';
import { asLogged, setLogScrubbing } from '../util/log.js';

const TRUST_MODES = ['on-first-use', 'always', 'never'] as const;

function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}

export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    'sigsock: a Signal messenger daemon for bots, scripts and home servers',
    '',
    'Usage: sigsock [GLOBAL OPTIONS] COMMAND [OPTIONS]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}${c.aliases ? ` (alias: ${c.aliases.join(', ')})` : ''}`),
    '',
    'Global options:',
    formatOptions(GLOBAL_OPTIONS),
    '',
    'Try it without a phone: `sigsock sandbox`. Help for one command: `sigsock COMMAND --help`.',
    '',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const stdout = process.stdout;
  const stderr = process.stderr;
  try {
    const commandIndex = argv.findIndex((arg, i) => !arg.startsWith('-') && !takesValue(argv[i - 1]));
    const globalArgs = commandIndex < 0 ? argv : argv.slice(0, commandIndex);
    const { values } = parseGlobal(globalArgs);
    if (commandIndex < 0) {
      if (values.help || globalArgs.length === 0) {
        stdout.write(mainHelp());
        return 0;
      }
      throw new UsageError('no command given; see `sigsock --help`');
    }
    const name = argv[commandIndex];
    const command = findCommand(name);
    if (!command) throw new UsageError(NOT_SUPPORTED[name] ?? `unknown command "${name}"; see \`sigsock --help\``);
    const parsed = parseCommandArgs(command, argv.slice(commandIndex + 1));
    if (parsed.values.help || values.help) {
      stdout.write(commandHelp(command));
      return 0;
    }
    const trust = (values['trust-new-identities'] as string | undefined) ?? 'on-first-use';
    if (!(TRUST_MODES as readonly string[]).includes(trust)) {
      throw new UsageError(`--trust-new-identities must be one of ${TRUST_MODES.join(', ')}`);
    }
    const scrub = (values['scrub-log'] as string | undefined) ?? 'on';
    if (scrub !== 'on' && scrub !== 'off') throw new UsageError('--scrub-log must be on or off');
    setLogScrubbing(scrub === 'on');
    const global: GlobalOptions = {
      account: values.account as string | undefined,
      configDir: values.config as string | undefined,
      serverConfig: values['server-config'] as string | undefined,
      trustNewIdentities: trust as GlobalOptions['trustNewIdentities'],
      verbose: Boolean(values.verbose),
    };
    return await command.run({ global, values: parsed.values as CommandContext['values'], positionals: parsed.positionals, tokens: parsed.tokens as CommandContext['tokens'], stdout, stderr });
  } catch (err) {
    if (err instanceof UsageError) {
      // A usage error echoes the user's own arguments back to them; nothing to scrub.
      stderr.write(`sigsock: ${err.message}\n`);
      return 2;
    }
    stderr.write(fatalLine(err));
    return 1;
  }
}

/**
 * The last line of a failed run. It lands where the log lines do (a terminal, a journal), so it is
 * scrubbed like them: "account +15***01 is in use", "…/account-15***01.db is damaged".
 */
export function fatalLine(err: unknown): string {
  return `sigsock: ${asLogged(err instanceof Error ? err.message : String(err))}\n`;
}

function takesValue(arg: string | undefined): boolean {
  if (!arg || !arg.startsWith('-') || arg.includes('=')) return false;
  const name = arg.replace(/^--?/, '');
  const spec = Object.entries(GLOBAL_OPTIONS).find(([long, s]) => long === name || s.short === name)?.[1];
  return spec?.type === 'string';
}

function parseGlobal(args: string[]) {
  try {
    return parseArgs({ args, options: stripDescriptions(GLOBAL_OPTIONS), allowPositionals: false, strict: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

/** signal-cli commands that people will try, and why sigsock does not have them. */
const PIN_REASON =
  'a Signal PIN protects the account key in SVR2, an attested SGX enclave service that sigsock cannot use yet (see docs/account.md)';
const NOT_SUPPORTED: Record<string, string> = {
  setPin: `setPin is not supported: ${PIN_REASON}`,
  removePin: `removePin is not supported: ${PIN_REASON}`,
};
