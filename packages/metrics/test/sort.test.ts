import { describe, expect, it } from 'vitest';
import { Rng } from '@face/core';
import { sortFloat32, sortFloat64 } from '../src/sort';

/** Values that stress the key map: signs, both zeros, subnormals, huge magnitudes, duplicates. */
function awkward(rng: Rng, n: number): number[] {
  const special = [
    0, -0, 5e-324, -5e-324, 1e-40, -1e-40, 3.4e38, -3.4e38, 1e300, -1e300, 0.5, -0.5,
  ];
  return Array.from({ length: n }, (_, i) =>
    i % 5 === 0 ? special[rng.int(special.length)] : rng.normal() * 10 ** (rng.int(9) - 4),
  );
}

const sameOrder = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    if (!Object.is(a[i], b[i])) expect([i, a[i]]).toEqual([i, b[i]]);
};

describe('radix sorts agree with TypedArray.prototype.sort (-0 before +0)', () => {
  it.each([10, 2047, 2048, 30_000])('float64, n = %i', (n) => {
    const values = Float64Array.from(awkward(new Rng(n), n));
    sameOrder(sortFloat64(values.slice()), values.slice().sort());
  });

  it.each([10, 2048, 30_000])('float32, n = %i', (n) => {
    const values = Float32Array.from(awkward(new Rng(n + 1), n));
    sameOrder(sortFloat32(values.slice()), values.slice().sort());
  });

  it('sorts in place, on views with an offset, and when all keys share digits', () => {
    const buffer = new Float64Array(5000).fill(0.25);
    const view = buffer.subarray(1000, 4000);
    view[17] = -1;
    expect(sortFloat64(view)).toBe(view);
    expect(view[0]).toBe(-1);
    expect(view[1]).toBe(0.25);
    const f32 = new Float32Array(4096).fill(3);
    sameOrder(sortFloat32(f32.slice()), f32);
  });
});
