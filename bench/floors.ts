// The floors each figure is compared with, measured in the same run on the same machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect } from 'node:net';

/** A process that only loads libsignal and listens: the least a Node Signal daemon can do. */
export function spawnListenFloor(port: number): ChildProcess {
  const code = `require('@signalapp/libsignal-client'); require('net').createServer(() => {}).listen(${port}, '127.0.0.1');`;
  return spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
}

/**
 * A trivial JSON-lines echo server, in a process of its own like the daemon: the floor for
 * protocol round trips. (Run inside the bench process it shared a core's scheduling with the
 * client and measured a different thing.)
 */
export async function spawnEchoFloor(): Promise<{ process: ChildProcess; port: number }> {
  const port = await freePort();
  const code = [
    "const { createServer } = require('net');",
    "const { createInterface } = require('readline');",
    'createServer((socket) => {',
    '  socket.setNoDelay(true);',
    "  socket.on('error', () => {});",
    "  createInterface({ input: socket }).on('line', (line) => {",
    '    const req = JSON.parse(line);',
    "    socket.write(JSON.stringify({ command: req.command, statusCode: 0, messages: [] }) + '\\n');",
    '  });',
    `}).listen(${port}, '127.0.0.1');`,
  ].join('\n');
  const child = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  await waitAccept(port);
  return { process: child, port };
}

/** Time until `port` accepts a TCP connection, polling. */
export async function waitAccept(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing accepted on port ${port}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
