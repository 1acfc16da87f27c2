import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { paramCount } from '@face/layers';

describe('paramCount', () => {
  it("reproduces the seed's worked example: 8x8x3 input, 256 filters of 5x5", () => {
    // Parameters, not multiplications: 256*3*25 = 19,200 vs 3*25 + 256*3 = 843.
    expect(
      paramCount({ kind: 'conventional', inChannels: 3, outChannels: 256, kernelSize: 5 }),
    ).toBe(19_200);
    expect(paramCount({ kind: 'separable', inChannels: 3, outChannels: 256, kernelSize: 5 })).toBe(
      843,
    );
  });

  it('counts depthwise with a multiplier, pointwise and biases', () => {
    expect(paramCount({ kind: 'depthwise', inChannels: 8, outChannels: 16, kernelSize: 3 })).toBe(
      16 * 9,
    );
    expect(paramCount({ kind: 'pointwise', inChannels: 8, outChannels: 4, bias: true })).toBe(36);
    expect(
      paramCount({
        kind: 'conventional',
        inChannels: 2,
        outChannels: 3,
        kernelSize: 3,
        bias: true,
      }),
    ).toBe(57);
  });

  it('rejects a depthwise output that is not a multiple of the input', () => {
    expect(() =>
      paramCount({ kind: 'depthwise', inChannels: 3, outChannels: 4, kernelSize: 3 }),
    ).toThrow(InvalidArgumentError);
    expect(() => paramCount({ kind: 'conventional', inChannels: 3, outChannels: 4 })).toThrow(
      /spec.kernelSize/,
    );
  });
});
