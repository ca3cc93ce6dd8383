// signal-cli's global options, as programs that spawn signal-cli pass them before the command:
// `-c/--config DIR` and `-d/--data-dir DIR` (one option under four names), `-o/--output json`,
// `--service-environment live|staging`, and `--scrub-log` without a value. They map onto
// sigsock's own (--config, --server-config, --scrub-log on|off), so a tool that runs
// `signal-cli --config DIR -a NUMBER jsonRpc` can run sigsock instead.
import { UsageError } from './command.js';

export type OutputMode = 'plain-text' | 'json';
const OUTPUT_MODES: readonly OutputMode[] = ['plain-text', 'json'];

/**
 * signal-cli's `--scrub-log` takes no value; sigsock's takes on|off. A bare one (followed by the
 * command or another option) means on, so `sigsock --scrub-log jsonRpc` reads as signal-cli's does.
 */
export function normalizeGlobalArgs(argv: string[], takesValue: (arg: string | undefined) => boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if (arg === '--scrub-log' && next !== 'on' && next !== 'off') out.push('--scrub-log=on');
    else out.push(arg);
    // Only the global part is rewritten: the command's own arguments are its business.
    if (!arg.startsWith('-') && !takesValue(argv[i - 1])) {
      out.push(...argv.slice(i + 1));
      break;
    }
  }
  return out;
}

type Values = Record<string, string | boolean | string[] | undefined>;

export function outputModeOf(values: Values): OutputMode {
  const mode = (values.output as string | undefined) ?? 'plain-text';
  if (!(OUTPUT_MODES as readonly string[]).includes(mode)) throw new UsageError(`--output must be plain-text or json, not "${mode}"`);
  return mode as OutputMode;
}

/** `--config`, `-c`, `--data-dir` and `-d` name one directory: giving two different ones is an error. */
export function configDirOf(values: Values): string | undefined {
  const config = values.config as string | undefined;
  const dataDir = values['data-dir'] as string | undefined;
  if (config !== undefined && dataDir !== undefined && config !== dataDir) throw new UsageError('--config and --data-dir name the same directory: give one');
  return config ?? dataDir;
}

/** `--server-config`, or signal-cli's `--service-environment live|staging`. */
export function serverConfigOf(values: Values): string | undefined {
  const file = values['server-config'] as string | undefined;
  const environment = values['service-environment'] as string | undefined;
  if (environment === undefined) return file;
  if (file !== undefined) throw new UsageError('give --server-config or --service-environment, not both');
  if (environment === 'live') return 'production';
  if (environment === 'staging') return 'staging';
  throw new UsageError(`--service-environment must be live or staging, not "${environment}"`);
}
