// Entry point: global options, then a command name, then that command's options.
import { readFileSync } from 'node:fs';
import { parseOptions } from './argv.js';
import { GLOBAL_OPTIONS, UsageError, commandHelp, formatOptions, parseCommandArgs, type Command, type CommandContext, type GlobalOptions } from './command.js';
import { loadCommand, loadCommands } from './commands.js';
import { asLogged, setLogScrubbing } from '../util/log.js';
import { configDirOf, normalizeGlobalArgs, outputModeOf, serverConfigOf } from './signalCliGlobals.js';

const TRUST_MODES = ['on-first-use', 'always', 'never'] as const;

export async function mainHelp(): Promise<string> {
  const COMMANDS = await loadCommands();
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
    'Try it without a phone: `sigsock sandbox`. Help for one command: `sigsock help COMMAND` (or `sigsock COMMAND --help`).',
    '',
  ].join('\n');
}

const MAIN_USAGE = 'Usage: sigsock [GLOBAL OPTIONS] COMMAND [OPTIONS]   (sigsock --help lists the commands)';

/** package.json sits three levels above this file both in the checkout (dist/src/cli) and installed. */
export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

export async function main(rawArgv: string[]): Promise<number> {
  const argv = normalizeGlobalArgs(rawArgv, takesValue);
  const stdout = process.stdout;
  const stderr = process.stderr;
  // Set once the command is known: its usage errors show its usage line.
  let command: Command | undefined;
  try {
    const commandIndex = argv.findIndex((arg, i) => !arg.startsWith('-') && !takesValue(argv[i - 1]));
    const globalArgs = commandIndex < 0 ? argv : argv.slice(0, commandIndex);
    const { values } = parseOptions(globalArgs, GLOBAL_OPTIONS, false);
    if (values.version) {
      stdout.write(`sigsock ${version()}\n`);
      return 0;
    }
    if (commandIndex < 0) {
      if (values.help || globalArgs.length === 0) {
        stdout.write(await mainHelp());
        return 0;
      }
      throw new UsageError('no command given');
    }
    const name = argv[commandIndex];
    if (name === 'help') return await help(argv.slice(commandIndex + 1), stdout);
    command = await loadCommand(name);
    if (!command) throw new UsageError(NOT_SUPPORTED[name] ?? `unknown command "${name}"`);
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
    const output = outputModeOf(values);
    if (output === 'json' && !command.jsonOutput) throw new UsageError(`${command.name} does not support output type json`);
    const global: GlobalOptions = {
      account: values.account as string | undefined,
      configDir: configDirOf(values),
      serverConfig: serverConfigOf(values),
      trustNewIdentities: trust as GlobalOptions['trustNewIdentities'],
      verbose: Boolean(values.verbose),
      output,
    };
    return await command.run({ global, values: parsed.values as CommandContext['values'], positionals: parsed.positionals, tokens: parsed.tokens as CommandContext['tokens'], stdout, stderr });
  } catch (err) {
    if (err instanceof UsageError) {
      // A usage error echoes the user's own arguments back to them; nothing to scrub.
      stderr.write(usageErrorText(err.message, command));
      return 2;
    }
    stderr.write(fatalLine(err));
    return 1;
  }
}

/** Every usage error looks the same: what is wrong, then the usage line and where help is. */
export function usageErrorText(message: string, command: Command | undefined): string {
  if (!command) return `sigsock: ${message}\n${MAIN_USAGE}\n`;
  const prefix = message.startsWith(`${command.name} `) ? '' : `${command.name}: `;
  return `sigsock: ${prefix}${message}\nUsage: sigsock ${command.usage}   (sigsock help ${command.name} explains every option)\n`;
}

/** `sigsock help [COMMAND]`. */
async function help(args: string[], stdout: NodeJS.WritableStream): Promise<number> {
  if (args.length === 0) {
    stdout.write(await mainHelp());
    return 0;
  }
  if (args.length > 1) throw new UsageError('help takes at most one COMMAND');
  const command = await loadCommand(args[0]);
  if (!command) throw new UsageError(NOT_SUPPORTED[args[0]] ?? `unknown command "${args[0]}"`);
  stdout.write(commandHelp(command));
  return 0;
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

/** signal-cli commands that people will try, and why sigsock does not have them. */
const PIN_REASON =
  'a Signal PIN protects the account key in SVR2, an attested SGX enclave service that sigsock cannot use yet (see docs/account.md)';
const NOT_SUPPORTED: Record<string, string> = {
  setPin: `setPin is not supported: ${PIN_REASON}`,
  removePin: `removePin is not supported: ${PIN_REASON}`,
};
