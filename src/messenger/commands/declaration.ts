// The shape of a command, declared once in the engine and served by every front-end: the CLI and
// the socket (and JSON-RPC next) map their input to named arguments, call `parse`, then `run`, and
// render the result and the error kinds in their own terms.
import type { Messenger } from '../api.js';
import type { IdentitySummary } from '../accountMessenger.js';
import type { MessengerErrorKind } from '../errors.js';
import type { ProfileChange } from '../ownProfile.js';
import type { ServerConfig } from '../../signal/serverConfig.js';
import type { TrustMode } from '../../store/accountStore.js';
import type { Log } from '../../util/log.js';
import type { CommandArguments, ParseLimits } from './arguments.js';

export interface CommandDeclaration<Target, Params, Result, Options = RunOptions> {
  /** The engine's name for it (signal-cli's where it has one). */
  readonly name: string;
  /** What the command runs on: an open account, or the data directory (no account open yet). */
  readonly on: 'account' | 'dataDirectory';
  /** Every kind `parse` and `run` raise as a MessengerError; anything else is a bug. */
  readonly errors: readonly MessengerErrorKind[];
  /** Checks the raw arguments; throws InvalidCommandError. Never touches the engine. */
  parse(args: CommandArguments, limits: ParseLimits): Params;
  run(target: Target, params: Params, options: Options): Promise<Result>;
}

export interface RunOptions {
  /** Aborted when the caller is gone or stopping: stop waiting. */
  signal?: AbortSignal;
}

/** An open account as the CLI uses it: the socket's Messenger and the account's own settings. */
export interface AccountEngine extends Messenger {
  start(): void;
  stop(): Promise<void>;
  listIdentities(): IdentitySummary[];
  removeDevice(deviceId: number): Promise<void>;
  updateProfile(change: ProfileChange): Promise<void>;
  unregister(): Promise<'account deleted' | 'device unlinked'>;
}

/** Where accounts live and which Signal service they talk to: what commands without an open account need. */
export interface DataDirectoryEnvironment {
  dataDir: string;
  serverConfig: ServerConfig;
  trustMode: TrustMode;
  log: Log;
}

/** Any declaration, for registries. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommandDeclaration = CommandDeclaration<any, any, any, any>;
