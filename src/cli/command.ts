// The shape every CLI command shares, and the global options that come before the command name.
import type { ParseArgsConfig } from 'node:util';
import { parseOptions, type ParsedArgs } from './argv.js';
import type { OutputMode } from './signalCliGlobals.js';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & { description: string; valueName?: string };

export interface GlobalOptions {
  account?: string;
  configDir?: string;
  serverConfig?: string;
  trustNewIdentities: 'on-first-use' | 'always' | 'never';
  verbose: boolean;
  /** signal-cli's `-o json`: the commands marked `jsonOutput` print signal-cli's JSON. */
  output: OutputMode;
}

export interface CommandContext {
  global: GlobalOptions;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** The arguments in order, for commands whose positionals belong to the option before them. */
  tokens?: ArgToken[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export type ArgToken =
  | { kind: 'option'; name: string; value?: string }
  | { kind: 'positional'; value: string }
  | { kind: 'option-terminator' };

export interface Command {
  name: string;
  aliases?: string[];
  summary: string;
  usage: string;
  /** Extra lines of help after the option list. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Rewrites the arguments before parsing (options whose value may be left out, as signal-cli's `--tcp`). */
  normalizeArgs?(args: string[]): string[];
  /** Honours `-o json` (signal-cli's output mode); other commands refuse it, as signal-cli does. */
  jsonOutput?: boolean;
  run(ctx: CommandContext): Promise<number>;
}

/** Wrong arguments: the CLI prints the message with the usage line of the command (exit 2). */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  account: { type: 'string', short: 'a', valueName: '+NUMBER', description: 'the account (phone number) to use' },
  config: { type: 'string', short: 'c', valueName: 'DIR', description: 'data directory (default $XDG_DATA_HOME/sigsock)' },
  // signal-cli's global options, for programs that spawn it (signalCliGlobals.ts maps them).
  'data-dir': { type: 'string', short: 'd', valueName: 'DIR', description: "the same as --config (signal-cli's name)" },
  output: { type: 'string', short: 'o', valueName: 'plain-text|json', description: "json: receive, send, sendTyping, sendReceipt, sendReaction, remoteDelete, updateGroup, quitGroup, listGroups, listContacts, listIdentities, listDevices, listAccounts and getUserStatus print signal-cli's JSON" },
  'service-environment': { type: 'string', valueName: 'live|staging', description: "signal-cli's name for --server-config production|staging" },
  'server-config': {
    type: 'string',
    valueName: 'ENV|FILE',
    description: 'Signal service: production (default), staging, or a server file (JSON) such as `sigsock sandbox network` writes',
  },
  'trust-new-identities': {
    type: 'string',
    valueName: 'MODE',
    description: 'on-first-use (default): trust a contact\'s first key, block sends after it changes until `trust`; always; never',
  },
  verbose: { type: 'boolean', short: 'v', description: 'log connection events to stderr' },
  'scrub-log': { type: 'string', valueName: 'on|off', description: 'keep phone numbers and account ids out of log lines (default on)' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
  version: { type: 'boolean', short: 'V', description: 'print the version and exit' },
};

export function parseCommandArgs(command: Command, args: string[]): ParsedArgs {
  return parseOptions(command.normalizeArgs?.(args) ?? args, { ...command.options, help: GLOBAL_OPTIONS.help }, true);
}

export function formatOptions(options: Record<string, OptionSpec>): string {
  const rows = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.valueName ?? 'VALUE'}` : ''}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(0, ...rows.map(([f]) => f.length)) + 2;
  return rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`).join('\n');
}

export function commandHelp(command: Command): string {
  const parts = [`Usage: sigsock ${command.usage}`, '', command.summary];
  const opts = { ...command.options, help: GLOBAL_OPTIONS.help };
  parts.push('', 'Options:', formatOptions(opts));
  if (command.details) parts.push('', command.details);
  return parts.join('\n') + '\n';
}
