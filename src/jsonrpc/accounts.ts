// Which account a request is for, as signal-cli decides it. One account (`-a NUMBER`): that one; a
// request naming another is refused rather than run on the wrong account. Multi-account mode
// (`daemon`/`jsonRpc` without -a): `params.account`, or the only account when there is just one;
// else signal-cli's -32602 errors. Multi-account mode also serves listAccounts, register, verify,
// startLink and finishLink over the engine's account registry.
import type { AccountEngine } from '../messenger/commands/index.js';
import type { AccountRegistry } from '../messenger/accountRegistry.js';
import type { MethodContext } from './methods/index.js';
import { Params } from './params.js';
import { INVALID_PARAMS, RpcError, USER_ERROR } from './protocol.js';

type RawParams = Record<string, unknown> | unknown[] | undefined;

export interface AccountContexts {
  /** The account a request is for, and its params without `account`. */
  forRequest(params: RawParams): { ctx: MethodContext; params: RawParams };
  /** Every account served now. */
  all(): MethodContext[];
  /** Accounts that start being served later (multi-account mode); returns the unsubscribe function. */
  onAdded(listener: (ctx: MethodContext) => void): () => void;
  /** The methods of multi-account mode, by name; undefined for the others. */
  accountMethod(method: string): ((params: Params) => Promise<unknown>) | undefined;
}

/** Whether the request names its account (`subscribeReceive {account}` subscribes that one only). */
export function namesAccount(params: RawParams): boolean {
  return accountParam(params).account !== undefined;
}

function accountParam(params: RawParams): { account: unknown; rest: RawParams } {
  if (!params || Array.isArray(params) || params.account === undefined || params.account === null) return { account: undefined, rest: params };
  const { account, ...rest } = params;
  return { account, rest };
}

export function singleAccount(ctx: MethodContext): AccountContexts {
  return {
    forRequest(params) {
      const { account, rest } = accountParam(params);
      if (account !== undefined && account !== ctx.account) throw new RpcError(INVALID_PARAMS, 'Specified account does not exist');
      return { ctx, params: rest };
    },
    all: () => [ctx],
    onAdded: () => () => {},
    accountMethod: () => undefined,
  };
}

/** The accounts a session or listener serves: `accounts`, else the one `ctx`. */
export function accountsOf(options: { ctx?: MethodContext; accounts?: AccountContexts }): AccountContexts {
  if (options.accounts) return options.accounts;
  if (!options.ctx) throw new Error('a JSON-RPC session needs an account context');
  return singleAccount(options.ctx);
}

/** Multi-account mode over the registry; `contextFor` builds an account's method context once. */
export function registryAccounts(registry: AccountRegistry, contextFor: (number: string, engine: AccountEngine) => MethodContext): AccountContexts {
  const contexts = new Map<string, MethodContext>();
  const context = (number: string, engine: AccountEngine) => {
    let ctx = contexts.get(number);
    if (!ctx) contexts.set(number, (ctx = contextFor(number, engine)));
    return ctx;
  };
  const methods: Record<string, (params: Params) => Promise<unknown>> = {
    listAccounts: async () => registry.numbers().map((number) => ({ number })),
    startLink: async () => ({ deviceLinkUri: await registry.startLink() }),
    finishLink: async (params) => {
      const uri = params.get('deviceLinkUri');
      if (typeof uri !== 'string') throw new RpcError(USER_ERROR, 'Missing deviceLinkUri.');
      if (!registry.hasPendingLink(uri)) throw new RpcError(USER_ERROR, 'Unknown device link uri.');
      const name = params.get('deviceName');
      return { number: await registry.finishLink(uri, typeof name === 'string' ? name : 'cli') };
    },
    register: async (params) => {
      const captcha = params.get('captcha');
      await registry.register(requiredAccount(params), { voice: params.get('voice') === true, captcha: typeof captcha === 'string' ? captcha : undefined });
      return {};
    },
    verify: async (params) => {
      params.refuseUnsupported('verify', ['pin']);
      const code = params.get('verificationCode');
      if (typeof code !== 'string') throw new RpcError(USER_ERROR, 'Missing verificationCode.');
      await registry.verify(requiredAccount(params), code);
      return {};
    },
  };
  return {
    forRequest(params) {
      const { account, rest } = accountParam(params);
      if (account !== undefined) {
        const engine = registry.get(String(account));
        if (!engine) throw new RpcError(INVALID_PARAMS, 'Specified account does not exist');
        return { ctx: context(String(account), engine), params: rest };
      }
      const numbers = registry.numbers();
      if (numbers.length !== 1) throw new RpcError(INVALID_PARAMS, 'Method requires valid account parameter');
      return { ctx: context(numbers[0], registry.get(numbers[0])!), params: rest };
    },
    all: () => registry.numbers().map((number) => context(number, registry.get(number)!)),
    onAdded: (listener) => registry.onAdded((number, engine) => listener(context(number, engine))),
    accountMethod: (method) => (Object.hasOwn(methods, method) ? methods[method] : undefined),
  };
}

/** register and verify name the new account in `account`, as signal-cli's registration methods. */
function requiredAccount(params: Params): string {
  const account = params.get('account');
  if (typeof account !== 'string') throw new RpcError(INVALID_PARAMS, 'Method requires account parameter');
  return account;
}
