// Issue 19 item 5, through the real CLI: one style for every usage error (lowercase, the command's
// usage line after it, exit 2, never node:util's own texts), --version/-V, `sigsock help [COMMAND]`,
// and usage lines that list every option the help lists below them.
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadCommands } from '../../src/cli/commands.js';
import { runCli } from '../support/harness.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

describe('CLI usage errors, version and help', () => {
  it('usage errors have one style: lowercase, the usage line, exit 2, no raw parseArgs text', async () => {
    const cases: [string[], RegExp, RegExp][] = [
      [['--frob'], /^sigsock: unknown option --frob\n/, /^Usage: sigsock \[GLOBAL OPTIONS\] COMMAND/m],
      [['sandbox', '--frob'], /^sigsock: sandbox: unknown option --frob\n/, /^Usage: sigsock sandbox \[--port PORT\]/m],
      [['sandbox', '-p'], /^sigsock: sandbox: -p needs a value \(PORT\)\n/, /^Usage: sigsock sandbox /m],
      [['-a'], /^sigsock: -a needs a value \(\+NUMBER\)\n/, /^Usage: sigsock \[GLOBAL OPTIONS\]/m],
      [['-a', '+15005550100', 'socket', '-p', '--host', 'x'], /^sigsock: socket: -p needs a value \(PORT\) before --host .*--port=VALUE/, /^Usage: sigsock -a \+NUMBER socket /m],
      [['-a', '+15005550100', 'register', '--voice=yes'], /^sigsock: register: --voice takes no value\n/, /^Usage: sigsock -a \+NUMBER register /m],
      [['nosuch'], /^sigsock: unknown command "nosuch"\n/, /^Usage: sigsock \[GLOBAL OPTIONS\]/m],
      [['sandbox', '--port', 'x'], /^sigsock: sandbox: --port must be a TCP port number\n/, /sigsock help sandbox/],
      [['-a', '+15005550100', 'daemon', '--tcp', '--ignore-stories', '--receive-stories'], /^sigsock: daemon: --ignore-stories and --receive-stories contradict each other/, /^Usage: sigsock \[-a \+NUMBER\] daemon /m],
    ];
    for (const [args, first, usage] of cases) {
      const res = await runCli(args);
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, first, args.join(' '));
      assert.match(res.stderr, usage, args.join(' '));
      assert.doesNotMatch(res.stderr, /Unknown option|To specify a positional|argument missing|<value>/, args.join(' '));
      assert.equal(res.stdout, '');
    }
  });

  it('--version and -V print the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const res = await runCli([flag]);
      assert.equal(res.code, 0, res.stderr);
      assert.equal(res.stdout, `sigsock ${VERSION}\n`);
    }
  });

  it('`sigsock help` is the main help and `sigsock help COMMAND` the command help', async () => {
    const main = await runCli(['help']);
    assert.equal(main.code, 0);
    assert.equal(main.stdout, (await runCli(['--help'])).stdout);
    const socket = await runCli(['help', 'socket']);
    assert.equal(socket.code, 0);
    assert.equal(socket.stdout, (await runCli(['socket', '--help'])).stdout);
    const unknown = await runCli(['help', 'frob']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^sigsock: unknown command "frob"\n/);
  });

  it("every command's usage line names every option its help lists", async () => {
    for (const command of await loadCommands()) {
      for (const [name, spec] of Object.entries(command.options)) {
        const named = command.usage.includes(`--${name}`) || (spec.short !== undefined && command.usage.includes(`-${spec.short} `));
        assert.ok(named, `${command.name}: the usage line "${command.usage}" leaves out --${name}`);
      }
    }
  });
});
