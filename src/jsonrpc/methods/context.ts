// What every JSON-RPC method gets: the account's engine and where the account lives.
import type { AccountEngine } from '../../messenger/commands/index.js';
import type { AttachmentFiles } from '../attachmentFiles.js';
import type { Params } from '../params.js';

export interface MethodContext {
  engine: AccountEngine;
  /** The account's number, as notifications and listAccounts name it. */
  account: string;
  dataDir: string;
  attachments: AttachmentFiles;
  maxAttachmentBytes: number;
}

export type Method = (params: Params, ctx: MethodContext) => Promise<unknown>;
