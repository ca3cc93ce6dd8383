// Which account a JSON-RPC request is for (jsonrpc/accounts.ts) over the engine's account registry,
// without a network: signal-cli's rules for params.account, and accounts added while running.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { registryAccounts, singleAccount } from '../../src/jsonrpc/accounts.js';
import type { MethodContext } from '../../src/jsonrpc/methods/index.js';
import { Params } from '../../src/jsonrpc/params.js';
import { RpcError } from '../../src/jsonrpc/protocol.js';
import { AccountRegistry } from '../../src/messenger/accountRegistry.js';
import type { AccountEngine } from '../../src/messenger/commands/index.js';
import { loadServerConfig } from '../../src/signal/serverConfig.js';

const ALICE = '+15005550001';
const BOB = '+15005550002';

function stubEngine(): AccountEngine & { started: number } {
  const engine = { started: 0, start: () => void engine.started++, stop: async () => {} };
  return engine as unknown as AccountEngine & { started: number };
}

function contextOf(number: string, engine: AccountEngine): MethodContext {
  return { engine, account: number, dataDir: '/nowhere', attachments: null as never, maxAttachmentBytes: 0 };
}

function rpcError(fn: () => unknown, code: number, message: string): void {
  assert.throws(fn, (err: unknown) => err instanceof RpcError && err.toObject().code === code && err.toObject().message === message);
}

describe('JSON-RPC account routing', () => {
  it('with -a: the one account; params.account naming it is taken off, naming another is refused', () => {
    const ctx = contextOf(ALICE, stubEngine());
    const accounts = singleAccount(ctx);
    assert.deepEqual(accounts.forRequest({ account: ALICE, message: 'x' }), { ctx, params: { message: 'x' } });
    assert.equal(accounts.forRequest(undefined).ctx, ctx);
    rpcError(() => accounts.forRequest({ account: BOB }), -32602, 'Specified account does not exist');
    assert.equal(accounts.accountMethod('listAccounts'), undefined, 'with -a, listAccounts is the data directory listing of methods/');
  });

  it('without -a: params.account, else the only account; accounts added later are served and announced', async () => {
    const engines = new Map<string, ReturnType<typeof stubEngine>>();
    const registry = new AccountRegistry({ dataDir: '/nowhere', serverConfig: loadServerConfig('staging'), trustMode: 'on-first-use', log: () => {} }, (number) => {
      const engine = stubEngine();
      engines.set(number, engine);
      return engine;
    });
    const accounts = registryAccounts(registry, contextOf);
    rpcError(() => accounts.forRequest({}), -32602, 'Method requires valid account parameter');
    registry.start();
    registry.add(ALICE);
    assert.equal(engines.get(ALICE)!.started, 1, 'an account added while running starts at once');
    assert.equal(accounts.forRequest({}).ctx.account, ALICE, 'the only account needs no params.account');
    const announced: string[] = [];
    accounts.onAdded((ctx) => announced.push(ctx.account));
    registry.add(BOB);
    assert.deepEqual(announced, [BOB]);
    rpcError(() => accounts.forRequest({ message: 'x' }), -32602, 'Method requires valid account parameter');
    rpcError(() => accounts.forRequest({ account: '+15005550003' }), -32602, 'Specified account does not exist');
    const chosen = accounts.forRequest({ account: BOB, message: 'x' });
    assert.equal(chosen.ctx, accounts.forRequest({ account: BOB }).ctx, 'one context per account');
    assert.deepEqual(chosen.params, { message: 'x' });
    assert.deepEqual(accounts.all().map((c) => c.account), [ALICE, BOB]);
    assert.deepEqual(await accounts.accountMethod('listAccounts')!(Params.of({}, 'listAccounts')), [{ number: ALICE }, { number: BOB }]);
    assert.equal(accounts.accountMethod('send'), undefined);
    await assert.rejects(accounts.accountMethod('verify')!(Params.of({ verificationCode: '1' }, 'verify')), (err: unknown) => err instanceof RpcError && err.toObject().message === 'Method requires account parameter');
    await registry.stop();
  });
});
