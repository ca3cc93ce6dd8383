// docs/service.md: the systemd unit passes `systemd-analyze verify` where systemd is there, and
// keeps the hardening the document promises; the Dockerfile runs as non-root with a data volume.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const unit = readFileSync(join(ROOT, 'contrib/sigsock.service'), 'utf8');

function hasSystemdAnalyze(): boolean {
  return spawnSync('systemd-analyze', ['--version']).status === 0;
}

describe('service files', () => {
  it('the systemd unit has the promised hardening, and systemd-analyze verify accepts it where available', () => {
    for (const line of ['User=sigsock', 'StateDirectory=sigsock', 'StateDirectoryMode=0700', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'Restart=on-failure', 'CapabilityBoundingSet=']) {
      assert.ok(unit.split('\n').includes(line), `missing ${line}`);
    }
    assert.match(unit, /^ExecStart=\/usr\/local\/bin\/sigsock --config \/var\/lib\/sigsock -a \$\{SIGSOCK_ACCOUNT\} socket /m);
    if (!hasSystemdAnalyze()) return;
    const dir = mkdtempSync(join(tmpdir(), 'sigsock-unit-'));
    try {
      // verify also checks that ExecStart exists: sigsock need not be installed globally for the test.
      writeFileSync(join(dir, 'sigsock.service'), unit.replace('/usr/local/bin/sigsock', process.execPath));
      execFileSync('systemd-analyze', ['verify', '--man=no', join(dir, 'sigsock.service')], { stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the Dockerfile builds in a stage of its own and runs as non-root with /data a volume', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^FROM \S+ AS build$/m);
    assert.match(dockerfile, /^USER sigsock$/m);
    assert.match(dockerfile, /^VOLUME \/data$/m);
    assert.match(dockerfile, /^ENTRYPOINT \["sigsock", "--config", "\/data"\]$/m);
  });

  // Issue 18, memory that stays flat: V8's young generation otherwise grows to tens of MiB under
  // traffic and is not given back (docs/benchmarks.md has the measurement).
  it('the unit and the image run the daemon with a small young generation', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    assert.ok(unit.split('\n').includes('Environment=NODE_OPTIONS=--max-semi-space-size=2'));
    assert.match(dockerfile, /^ENV NODE_OPTIONS=--max-semi-space-size=2$/m);
  });

  // docs/benchmarks.md, start-up: Node >= 22.1's module compile cache, in a directory of the service's own.
  it('the unit keeps the compile cache in its own cache directory', () => {
    for (const line of ['Environment=NODE_COMPILE_CACHE=/var/cache/sigsock', 'CacheDirectory=sigsock', 'CacheDirectoryMode=0700']) {
      assert.ok(unit.split('\n').includes(line), `missing ${line}`);
    }
  });
});
