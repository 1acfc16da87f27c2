import { checkInteger } from './validate';
import { InvalidArgumentError } from './errors';

/** The whole state of an {@link Rng}: four 32-bit words, JSON-safe for checkpoints. */
export type RngState = [number, number, number, number];

/** splitmix32 step: spreads a 32-bit seed over the state words (Steele et al., "Fast splittable PRNGs"). */
function splitmix32(x: number): [number, number] {
  const next = (x + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return [next, (z ^ (z >>> 16)) >>> 0];
}

/**
 * A small seeded generator: xoshiro128** (Blackman & Vigna, 2018), 128-bit state, period 2^128-1.
 * Deterministic across Node and browsers; `state()`/`setState()` make resumed runs draw the same
 * numbers as uninterrupted ones.
 */
export class Rng {
  private s: Uint32Array;

  constructor(seed = 0) {
    checkInteger('Rng', 'seed', seed);
    this.s = new Uint32Array(4);
    let x = seed | 0;
    for (let i = 0; i < 4; i++) {
      const [nx, out] = splitmix32(x);
      x = nx;
      this.s[i] = out;
    }
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n), without modulo bias (rejection sampling). */
  int(n: number): number {
    checkInteger('Rng.int', 'n', n, { min: 1, max: 4294967296 });
    const limit = 4294967296 - (4294967296 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** Standard normal draw (Box-Muller; one of the pair is discarded to keep state simple). */
  normal(mean = 0, std = 1): number {
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /**
   * Fisher-Yates shuffle in place; returns the array. The one seeded shuffle of @face: samplers,
   * splits, pair drawing and the trainer's batch order all draw through it, so one seed gives one
   * order everywhere.
   */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /**
   * 0..n-1 in a random order: exactly `shuffle([0, 1, ..., n - 1])` (the same draws), the epoch
   * order of a sampler or batch source.
   */
  permutation(n: number): number[] {
    checkInteger('Rng.permutation', 'n', n, { min: 0 });
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** A new generator seeded from this one: independent streams for workers or subsystems. */
  fork(): Rng {
    return new Rng(this.nextUint32() | 0);
  }

  state(): RngState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  setState(state: RngState): this {
    if (
      !Array.isArray(state) ||
      state.length !== 4 ||
      !state.every((w) => Number.isInteger(w) && w >= 0 && w < 4294967296)
    ) {
      throw new InvalidArgumentError(
        'Rng.setState',
        'state',
        state,
        'four unsigned 32-bit integers',
      );
    }
    if (state.every((w) => w === 0)) {
      throw new InvalidArgumentError(
        'Rng.setState',
        'state',
        state,
        'not all zero (xoshiro would stay at zero)',
      );
    }
    this.s.set(state);
    return this;
  }

  static fromState(state: RngState): Rng {
    return new Rng(0).setState(state);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
