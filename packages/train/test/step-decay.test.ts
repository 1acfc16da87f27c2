import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { stepDecay } from '@face/train';

describe('stepDecay', () => {
  it('multiplies by gamma every stepSize steps', () => {
    const lr = stepDecay(0.1, 10, 0.5);
    expect([0, 9, 10, 19, 20, 35].map(lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025, 0.0125]);
  });

  it('rejects a non-positive rate and a fractional step', () => {
    expect(() => stepDecay(0, 10)).toThrow(InvalidArgumentError);
    expect(() => stepDecay(0.1, 10)(1.5)).toThrow(/step must be an integer/);
  });
});
