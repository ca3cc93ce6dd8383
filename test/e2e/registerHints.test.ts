// Issue 19 item 1: the hints register prints are complete command lines (the data directory and the
// server repeated), and verify refuses a session that register started on another server.
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bareNetwork, BIN, MOCK_CODE, runCli, type BareNetwork, type RunResult } from '../support/harness.js';

/** Runs a printed hint as a user pasting it would: through a shell, `sigsock` being this checkout's. */
function runHint(hint: string, code: string): Promise<RunResult> {
  const line = hint.replace(/^sigsock /, `"${process.execPath}" "${BIN}" `).replace(/ CODE$/, ` ${code}`).replace(/ LINK$/, ' token');
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', line], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ code: status, stdout, stderr }));
  });
}

function hintIn(stderr: string): string {
  const hint = /^Next: (.*?)(?: \(a new code.*)?$/m.exec(stderr)?.[1];
  assert.ok(hint, `no hint in: ${stderr}`);
  return hint;
}

describe('register hints and the server of a pending registration', () => {
  let bare: BareNetwork;
  before(async () => (bare = await bareNetwork()));
  after(async () => bare?.close());

  it('the captcha and verify hints repeat --config and --server-config, and work pasted as printed', async () => {
    const number = '+15005551901';
    const asked = await bare.cli(number, 'register');
    assert.equal(asked.code, 3, asked.stderr);
    const captchaHint = hintIn(asked.stderr);
    assert.equal(captchaHint, `sigsock --config ${bare.dataDir} --server-config ${bare.serverFile} -a ${number} register --captcha LINK`);

    const requested = await runHint(captchaHint, '');
    assert.equal(requested.code, 0, requested.stderr);
    const verifyHint = hintIn(requested.stderr);
    assert.equal(verifyHint, `sigsock --config ${bare.dataDir} --server-config ${bare.serverFile} -a ${number} verify CODE`);
    const verified = await runHint(verifyHint, MOCK_CODE);
    assert.equal(verified.code, 0, verified.stderr);
    assert.match(verified.stdout, /Registered \+15005551901 \(ACI /);
  });

  it('verify refuses a session started on another server, sends nothing, and the right server still completes it', async () => {
    const number = '+15005551902';
    assert.equal((await bare.cli(number, 'register', '--captcha', 'token')).code, 0);
    // As the old hint had it: the same data directory, no --server-config (production).
    const production = await runCli(['--config', bare.dataDir, '-a', number, 'verify', MOCK_CODE]);
    assert.equal(production.code, 1, production.stderr);
    assert.match(production.stderr, /started on the local server "sandbox" \(.*\), not on Signal production: nothing was sent.*same --server-config/);
    const ok = await bare.cli(number, 'verify', MOCK_CODE);
    assert.equal(ok.code, 0, ok.stderr);
  });
});
