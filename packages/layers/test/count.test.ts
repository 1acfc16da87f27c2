import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { loadFixture } from '@face/test-support';
import { type ConvKind, multiplyCount, paramCount } from '@face/layers';

interface CountCase {
  kind: ConvKind;
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  bias: boolean;
  depthMultiplier: number;
  strides: number;
  padding: number;
  inputSize: number;
  numel: number;
  macs: number;
}
const { counts } = loadFixture<{ counts: CountCase[] }>(import.meta.url, 'convs');

describe('paramCount and multiplyCount', () => {
  it("reproduce the seed's worked example: 8x8x3 input, 256 filters of 5x5", () => {
    const conventional = {
      kind: 'conventional',
      inChannels: 3,
      outChannels: 256,
      kernelSize: 5,
      padding: 2,
    } as const;
    const separable = { ...conventional, kind: 'separable' } as const;
    // Parameters: N*M*K^2 = 19,200 vs M*K^2 + N*M = 75 + 768 = 843.
    expect(paramCount(conventional)).toBe(19_200);
    expect(paramCount(separable)).toBe(843);
    // Multiplications over the 8x8 output positions (what the seed's 1,228,800 and 53,952 count).
    expect(multiplyCount(conventional, 8)).toBe(1_228_800);
    expect(multiplyCount(separable, [8, 8])).toBe(4_800 + 49_152);
  });

  it.each(
    counts.map(
      (c) =>
        [
          `${c.kind} ${c.inChannels}->${c.outChannels} k${c.kernelSize} s${c.strides} on ${c.inputSize}`,
          c,
        ] as const,
    ),
  )('equal PyTorch numel and its output-shape MACs: %s', (_, c) => {
    expect(paramCount(c)).toBe(c.numel);
    expect(multiplyCount(c, c.inputSize)).toBe(c.macs);
  });

  it('count depthwise with a multiplier, pointwise and biases', () => {
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
    expect(multiplyCount({ kind: 'pointwise', inChannels: 8, outChannels: 4, strides: 2 }, 8)).toBe(
      32 * 16,
    );
  });

  it('reject impossible specifications, naming the field', () => {
    expect(() =>
      paramCount({ kind: 'depthwise', inChannels: 3, outChannels: 4, kernelSize: 3 }),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      paramCount({ kind: 'depthwise', inChannels: 3, outChannels: 4, kernelSize: 3 }),
    ).toThrow(/spec.outChannels must be a multiple of spec.inChannels \(3\)/);
    expect(() => paramCount({ kind: 'conventional', inChannels: 3, outChannels: 4 })).toThrow(
      /spec.kernelSize/,
    );
    expect(() =>
      paramCount({ kind: 'dilated' as ConvKind, inChannels: 3, outChannels: 4 }),
    ).toThrow(/spec.kind/);
    expect(() =>
      multiplyCount({ kind: 'conventional', inChannels: 3, outChannels: 4, kernelSize: 5 }, 3),
    ).toThrow(/inputSize must be at least the kernel size 5/);
  });
});
