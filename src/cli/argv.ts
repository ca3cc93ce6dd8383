// Option parsing with our own error texts: node:util's parseArgs finds the options, but its
// messages ("Unknown option '--frob'. To specify a positional argument…") are not ours to show.
// Every problem becomes a UsageError in the CLI's one style: lowercase, naming the option.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError, type OptionSpec } from './command.js';

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>;
}

export function parseOptions(args: string[], options: Record<string, OptionSpec>, allowPositionals: boolean): ParsedArgs {
  const config = stripDescriptions(options);
  // Non-strict first: it never throws, and its tokens show what is wrong in terms we can word.
  const loose = parseArgs({ args, options: config, allowPositionals: true, strict: false, tokens: true });
  for (const token of loose.tokens ?? []) {
    if (token.kind === 'positional') {
      if (!allowPositionals) throw new UsageError(`unexpected argument "${token.value}"`);
      continue;
    }
    if (token.kind !== 'option') continue;
    const spec = options[token.name];
    if (!spec) throw new UsageError(`unknown option ${token.rawName}`);
    if (spec.type === 'string' && token.value === undefined) {
      throw new UsageError(`${token.rawName} needs a value (${spec.valueName ?? 'VALUE'})`);
    }
    if (spec.type === 'string' && !token.inlineValue && token.value!.startsWith('-')) {
      throw new UsageError(`${token.rawName} needs a value (${spec.valueName ?? 'VALUE'}) before ${token.value} (a value that starts with "-" goes in as --${token.name}=VALUE)`);
    }
    if (spec.type === 'boolean' && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
  }
  try {
    const parsed = parseArgs({ args, options: config, allowPositionals, strict: true, tokens: true });
    return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals, tokens: parsed.tokens ?? [] };
  } catch (err) {
    // What the loose pass could not see: a value that looks like an option (`--port --out x`).
    const code = (err as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw new UsageError('an option is missing its value (a value that starts with "-" goes in as --option=VALUE)', { cause: err });
    }
    throw new UsageError('the arguments could not be read', { cause: err });
  }
}

export function stripDescriptions(options: Record<string, OptionSpec>): NonNullable<ParseArgsConfig['options']> {
  const out: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(options)) {
    const { description: _d, valueName: _v, ...rest } = spec;
    out[name] = rest;
  }
  return out;
}
