// Issue 14 point 3: @signalapp/mock-server (and its own libsignal build) is loaded only by the
// sandbox. Walks the compiled modules' static imports from every production module: none reaches
// the mock server or src/sandbox/; only the `sandbox` commands reach them, by a dynamic import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(fileURLToPath(import.meta.url), '../../../src');
const MOCK_SERVER = '@signalapp/mock-server';

interface Imports {
  static: string[];
  dynamic: string[];
}

function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

/** Specifiers of a compiled module: relative ones as absolute paths, packages as written. */
function importsOf(file: string): Imports {
  const code = readFileSync(file, 'utf8');
  const target = (spec: string) => (spec.startsWith('.') ? resolve(dirname(file), spec) : spec);
  const matches = (pattern: RegExp) => [...code.matchAll(pattern)].map((m) => target(m[1]));
  return {
    static: [...matches(/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/gm), ...matches(/^\s*import\s*['"]([^'"]+)['"]/gm)],
    dynamic: matches(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  };
}

const graph = new Map(modules(SRC).map((file) => [file, importsOf(file)]));

/** Every module and package a module loads before any of its code runs. */
function staticClosure(file: string): Set<string> {
  const seen = new Set<string>();
  const pending = [file];
  while (pending.length) {
    const next = pending.pop()!;
    for (const spec of graph.get(next)?.static ?? []) {
      if (seen.has(spec)) continue;
      seen.add(spec);
      if (graph.has(spec)) pending.push(spec);
    }
  }
  return seen;
}

const isSandbox = (path: string) => path.startsWith(join(SRC, 'sandbox') + '/') || /\/cli\/sandbox\w+\.js$/.test(path);
const name = (path: string) => (path.startsWith(SRC) ? relative(SRC, path) : path);

test('the walk sees the compiled sources and their imports', () => {
  assert.ok(graph.has(join(SRC, 'cli/main.js')));
  assert.ok(staticClosure(join(SRC, 'cli/socket.js')).has(join(SRC, 'messenger/accountMessenger.js')));
  assert.ok(staticClosure(join(SRC, 'sandbox/mockNetwork.js')).has(MOCK_SERVER), 'the sandbox itself does load it');
});

test('no production module loads @signalapp/mock-server or the sandbox, directly or transitively', () => {
  const offenders: string[] = [];
  for (const file of graph.keys()) {
    if (isSandbox(file)) continue;
    for (const dep of staticClosure(file)) {
      if (dep.startsWith(MOCK_SERVER) || isSandbox(dep)) offenders.push(`${name(file)} → ${name(dep)}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('only the sandbox commands load the sandbox, on demand', () => {
  const loaders: string[] = [];
  for (const [file, imports] of graph) {
    if (isSandbox(file)) continue;
    for (const dep of imports.dynamic) if (isSandbox(dep) || dep.startsWith(MOCK_SERVER)) loaders.push(name(file));
  }
  assert.deepEqual([...new Set(loaders)], ['cli/sandbox.js']);
});

// Issue 18, start-up: `sigsock socket` loads what serving needs and no other command's code.
test('the socket daemon starts without loading other commands, linking, registration or JSON-RPC', () => {
  const loaded = new Set([...staticClosure(join(SRC, 'cli/main.js')), ...staticClosure(join(SRC, 'cli/socket.js'))]);
  const needless = [...loaded].filter(
    (dep) =>
      dep.startsWith(join(SRC, 'jsonrpc') + '/') ||
      [
        'signal/linking.js',
        'signal/registration.js',
        'messenger/linkAccount.js',
        'messenger/registerAccount.js',
        'cli/link.js',
        'cli/register.js',
        'cli/daemon.js',
        'cli/send.js',
        'cli/sandbox.js',
      ].some((path) => dep === join(SRC, path)) ||
      dep === 'qrcode-terminal' ||
      // Loaded on first encode or decode (src/proto/index.ts): the first answer needs no protobuf.
      dep === 'protobufjs',
  );
  assert.deepEqual(needless.map(name), []);
});
