// Issue 19 items 2 and 8, through a real daemon process and its socket: a request line left
// unfinished does not swallow the next request, the error answers carry what the client needs to
// match them (the broken request's reqId, a batch element's index), and error positions count from
// the start of the request, not of the connection.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { linkedAccount, type LinkedFixture } from '../support/harness.js';
import { startDaemon, type Daemon } from '../support/daemon.js';
import { LineClient } from '../support/lineClient.js';

describe('socket resynchronisation and error answers, through the daemon', () => {
  let f: LinkedFixture;
  let daemon: Daemon;

  before(async () => {
    f = await linkedAccount();
    daemon = await startDaemon(f);
  });
  after(async () => {
    await daemon?.stop();
    await f?.close();
  });

  it("the issue's example: x1 left unfinished is answered as an error with its reqId, x2 on the next line is answered", async () => {
    const c = await LineClient.open(daemon.port);
    try {
      c.socket.write('{"command":"receive_messages","reqId":"x1",\n{"command":"receive_messages","reqId":"x2","timeout":10}\n');
      const broken = await c.next();
      assert.equal(broken.reqId, 'x1');
      assert.equal(broken.statusCode, 4);
      assert.equal(broken.errorMessage, "invalid JSON at line 2, column 1 (byte 44): expected a field name or '}', found '{'");
      const x2 = await c.next();
      assert.deepEqual(x2, { command: 'receive_messages', reqId: 'x2', statusCode: 0, messages: [] });
    } finally {
      c.close();
    }
  });

  it('a multi-line request still works, and an error position counts from the start of its own request', async () => {
    const c = await LineClient.open(daemon.port);
    try {
      c.socket.write("{command: 'receive_messages',\n reqId: 'multi',\n timeout: 0}\n");
      assert.deepEqual(await c.next(), { command: 'receive_messages', reqId: 'multi', statusCode: 0, messages: [] });
      c.socket.write("{command: 'receive_messages',\n reqId: 'bad' timeout: 0}\n");
      const bad = await c.next();
      assert.equal(bad.reqId, 'bad');
      assert.equal(bad.errorMessage, "invalid JSON at line 2, column 15 (byte 44): expected ',' or '}', found 't'");
    } finally {
      c.close();
    }
  });

  it('a batch of non-objects names each element', async () => {
    const c = await LineClient.open(daemon.port);
    try {
      c.socket.write('[1,2]\n');
      const first = await c.next();
      const second = await c.next();
      assert.equal(first.errorMessage, 'expected an object, found a number (element 0 of the batch, counting from 0)');
      assert.equal(second.errorMessage, 'expected an object, found a number (element 1 of the batch, counting from 0)');
    } finally {
      c.close();
    }
  });
});
