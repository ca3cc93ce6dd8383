// signal-cli's flag formats for what a message carries besides text: --mention START:LENGTH:RECIPIENT,
// --text-style START:LENGTH:STYLE, timestamps as digits. They become the JSON-like values the engine's
// send parses, so the CLI and the socket check them the same way.
import { InvalidCommandError, rangeNotation } from '../messenger/commands/index.js';
import { UsageError } from './command.js';

/** Digits become a number; anything else is passed on for the engine's parser to refuse by name. */
export function timestampFlag(value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
}

export function mentionFlags(values: string[] | undefined): { start: number; length: number; recipient: string }[] | undefined {
  return values?.map((v) => {
    const { start, length, rest } = splitRange(v, '--mention', 'START:LENGTH:RECIPIENT');
    return { start, length, recipient: rest };
  });
}

export function textStyleFlags(values: string[] | undefined): { start: number; length: number; style: string }[] | undefined {
  return values?.map((v) => {
    const { start, length, rest } = splitRange(v, '--text-style', 'START:LENGTH:STYLE');
    return { start, length, style: rest };
  });
}

function splitRange(value: string, flag: string, format: string): { start: number; length: number; rest: string } {
  try {
    return rangeNotation(value, flag, format);
  } catch (err) {
    // A flag's format is a usage error, like every other flag problem.
    if (err instanceof InvalidCommandError) throw new UsageError(err.message);
    throw err;
  }
}
