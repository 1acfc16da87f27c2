import { checkInteger } from '@face/core';

/** murmur3's 32-bit finalizer (Appleby, MurmurHash3 `fmix32`): every input bit affects every output bit. */
function fmix32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A 32-bit seed derived from a base seed and integer coordinates (epoch, batch, position, ...).
 * Pure, so anything seeded this way is reproducible from its coordinates alone: a resumed run
 * recomputes exactly what an uninterrupted run drew, without saving generator state.
 */
export function deriveSeed(seed: number, ...parts: number[]): number {
  checkInteger('deriveSeed', 'seed', seed);
  let h = fmix32((seed ^ 0x9e3779b9) >>> 0);
  for (let i = 0; i < parts.length; i++) {
    checkInteger('deriveSeed', `parts[${i}]`, parts[i]);
    // Golden-ratio multiply keeps small consecutive integers far apart before mixing.
    h = fmix32((h ^ Math.imul(parts[i] + i + 1, 0x9e3779b1)) >>> 0);
    h = (h + 0x6a09e667) >>> 0;
  }
  return fmix32(h) | 0;
}
