// Issue 19, packaging: `npm pack`, then `npm install -g` of the tarball into a clean prefix gives a
// working `sigsock` (its version, and `sigsock sandbox` up to its ready line). The tarball holds what
// runs and nothing else. `npm test` has built dist/ already, so the pack skips the prepack build.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BIN } from '../support/harness.js';

const run = promisify(execFile);
const ROOT = dirname(dirname(BIN));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('the npm package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigsock-package-'));
  const prefix = join(dir, 'prefix');
  // The installed command runs on the Node this suite runs on (CI runs it on several).
  const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${join(prefix, 'bin')}${delimiter}${process.env.PATH}` };
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('packs only what runs, installs globally into a clean prefix, and runs: --version, sandbox to its ready line', async () => {
    const packed = await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--json'], { cwd: ROOT, env });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    const paths = info!.files.map((f) => f.path);
    assert.ok(paths.includes('bin/sigsock.js'));
    assert.ok(paths.includes('dist/src/cli/main.js'));
    assert.ok(paths.some((p) => p.startsWith('dist/src/proto/') && p.endsWith('.proto')), 'the .proto schemas read at run time');
    const extra = paths.filter((p) => !/^(bin\/|dist\/src\/.*\.(js|proto)$|package\.json$|README\.md$|LICENSE$)/.test(p));
    assert.deepEqual(extra, [], 'nothing but what runs');

    // --prefer-offline: what `npm ci` put in npm's cache is enough; the registry is asked otherwise.
    await run('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, info!.filename)], { env, timeout: 120_000 });
    const version = await run('sigsock', ['--version'], { env });
    assert.equal(version.stdout, `sigsock ${VERSION}\n`);

    const sandbox = spawn('sigsock', ['sandbox', '--port', '0', '--jsonrpc-port', '0', '--http-port', '0'], { env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    sandbox.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => sandbox.once('exit', (code) => r(code)));
    try {
      const ready = await new Promise<{ ready: boolean; port: number }>((resolve, reject) => {
        createInterface({ input: sandbox.stdout }).once('line', (line) => resolve(JSON.parse(line) as { ready: boolean; port: number }));
        void exited.then((code) => reject(new Error(`the installed sandbox exited (${code}) before it was ready:\n${stderr}`)));
      });
      assert.equal(ready.ready, true);
    } finally {
      sandbox.kill('SIGINT');
    }
    assert.equal(await exited, 0, stderr);
  });
});
