import { describe, expect, it } from 'vitest';
import { loadFixture } from '@face/test-support';
import { InvalidArgumentError, Rng } from '@face/core';

const cases = loadFixture<{ seed: number; uint32: number[] }[]>(import.meta.url, 'rng');

describe('Rng', () => {
  it.each(cases)('matches the reference xoshiro128** stream for seed $seed', ({ seed, uint32 }) => {
    const rng = new Rng(seed);
    expect(uint32.map(() => rng.nextUint32())).toEqual(uint32);
  });

  it('resumes exactly from a saved state', () => {
    const a = new Rng(123);
    for (let i = 0; i < 10; i++) a.next();
    const b = Rng.fromState(JSON.parse(JSON.stringify(a.state())));
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(
      Array.from({ length: 20 }, () => a.next()),
    );
  });

  it('draws unbiased integers and a permutation when shuffling', () => {
    const rng = new Rng(5);
    const counts = new Array(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) counts[rng.int(6)]++;
    // chi-square with 5 degrees of freedom: 20.5 is the 0.999 quantile
    const chi2 = counts.reduce((s, c) => s + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi2).toBeLessThan(20.5);
    const perm = rng.shuffle([...Array(50).keys()]);
    expect([...perm].sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
    expect(perm).not.toEqual([...Array(50).keys()]);
  });

  it('permutation(n) is the shuffle of 0..n-1 with the same draws (seeded orders do not move)', () => {
    const a = new Rng(11);
    const b = new Rng(11);
    expect(a.permutation(37)).toEqual(b.shuffle([...Array(37).keys()]));
    expect(a.state()).toEqual(b.state());
    expect(new Rng(3).permutation(0)).toEqual([]);
    expect(() => new Rng(3).permutation(-1)).toThrow(InvalidArgumentError);
  });

  it('draws normals with mean 0 and std 1', () => {
    const rng = new Rng(9);
    const xs = Array.from({ length: 40_000 }, () => rng.normal());
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(std - 1)).toBeLessThan(0.03);
  });

  it('rejects bad seeds, bounds and states with typed errors', () => {
    expect(() => new Rng(1.5)).toThrow(InvalidArgumentError);
    expect(() => new Rng(0).int(0)).toThrow(/n must be an integer >= 1/);
    expect(() => new Rng(0).setState([0, 0, 0, 0])).toThrow(/not all zero/);
    expect(() => new Rng(0).setState([1, 2, 3] as never)).toThrow(/state must be four unsigned/);
  });
});
