// Issue 19 item 4 for the daemon: a port in use is an error that names --port and a free port.
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bareNetwork, registerWithCli, type BareNetwork } from '../support/harness.js';

describe('socket on a port in use', () => {
  let bare: BareNetwork;
  const number = '+15005551931';
  before(async () => {
    bare = await bareNetwork();
    await registerWithCli(bare, number);
  });
  after(async () => bare?.close());

  it('says which option changes the port and suggests a free one', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const res = await bare.cli(number, 'socket', '--port', String(port));
      assert.equal(res.code, 1, res.stderr);
      assert.match(res.stderr, new RegExp(`sigsock: 127\\.0\\.0\\.1:${port} is already in use .*: choose another with --port, e\\.g\\. --port \\d+ \\(free now\\)\\n$`));
      assert.doesNotMatch(res.stderr, /EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });
});
