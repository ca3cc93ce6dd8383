// Seeded randomness for tests that explore (the fuzz test, the crash scenario): a failure names its
// seed, and setting the seed's environment variable replays the same run.

/** mulberry32: small, fast and good enough to drive a test reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Random {
  constructor(readonly next: () => number) {}
  static seeded(seed: number): Random {
    return new Random(prng(seed));
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** A seed nobody chose, for runs meant to explore (the soak runs). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 0x100000000);
}

/**
 * The seed from `variable` when set (decimal or 0x-hex), else `fallback`; either way printed, so a
 * failing run can be replayed with `variable=<seed>`.
 */
export function seedFrom(variable: string, fallback: number, what: string): number {
  const given = process.env[variable];
  const seed = given === undefined || given === '' ? fallback : Number(given);
  if (!Number.isInteger(seed)) throw new Error(`${variable} must be an integer, not ${JSON.stringify(given)}`);
  console.log(`# ${what}: seed ${seed} (replay with ${variable}=${seed})`);
  return seed;
}
