// Attachment bytes pass through short-lived Buffers (a socket's reads, a cipher's outputs), about
// three times their size. V8 frees such young ArrayBuffers only at a scavenge, and starts one
// for them only once some 32 MiB of them piled up; the JavaScript objects an attachment pipeline
// allocates are too few to fill the young generation sooner. So a 10 MiB attachment peaked at
// +35 MiB of garbage. A minor collection (about half a millisecond) after every few MiB bounds
// that (docs/benchmarks.md, "Attachments out of the heap").
//
// The collector is reached the way Node allows at run time: the `--expose-gc` flag set from the
// code, its `gc` taken from a fresh context (so no global `gc` appears). Where that is refused,
// nothing happens and V8's own schedule applies.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const EVERY_BYTES = 1024 * 1024;

type Collect = (options: { type: 'minor' | 'major' }) => void;

let collect: Collect | null | undefined;
let since = 0;

function collector(): Collect | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    collect = typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    collect = null;
  }
  return collect;
}

/** `bytes` more went through short-lived Buffers; collects the young generation every few MiB. */
export function passedThrough(bytes: number): void {
  since += bytes;
  if (since < EVERY_BYTES) return;
  since = 0;
  collector()?.({ type: 'minor' });
}
