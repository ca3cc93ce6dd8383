// What a front-end hands a command: its raw named values, and how the front-end's user calls each
// of them, so an error names the field as it was written (`reaction.author`, `-g GROUP_ID`).
import { MessengerError, type MessengerErrorKind } from '../errors.js';

export class CommandArguments {
  constructor(
    private readonly values: Readonly<Record<string, unknown>>,
    private readonly labels: Readonly<Record<string, string>> = {},
  ) {}

  get(name: string): unknown {
    return Object.hasOwn(this.values, name) ? this.values[name] : undefined;
  }

  /** Neither absent nor null: JSON clients write null for "not given". */
  has(name: string): boolean {
    const value = this.get(name);
    return value !== undefined && value !== null;
  }

  label(name: string): string {
    return Object.hasOwn(this.labels, name) ? this.labels[name] : name;
  }
}

/** Limits a front-end sets for what a command accepts. */
export interface ParseLimits {
  maxAttachmentBytes: number;
}

/** A command's parameters are wrong: thrown while parsing, before the engine is called. */
export class InvalidCommandError extends MessengerError {
  constructor(kind: MessengerErrorKind, message: string) {
    super(kind, message);
    this.name = 'InvalidCommandError';
  }
}

export function invalid(kind: MessengerErrorKind, message: string): InvalidCommandError {
  return new InvalidCommandError(kind, message);
}
