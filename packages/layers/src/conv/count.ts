import { checkInteger, checkOneOf, InvalidArgumentError } from '@face/core';
import { checkPadding, convOutputLength, type Padding } from './padding';

export type ConvKind = 'conventional' | 'depthwise' | 'pointwise' | 'separable';
export const CONV_KINDS: readonly ConvKind[] = [
  'conventional',
  'depthwise',
  'pointwise',
  'separable',
];

export interface ConvSpec {
  kind: ConvKind;
  /** M in the seed's notation. */
  inChannels: number;
  /**
   * N: output channels. For `depthwise` a multiple of inChannels (depth multiplier K = N / M);
   * for `separable`, the pointwise stage's filters.
   */
  outChannels: number;
  /** Square kernel size k (ignored for pointwise, which is 1). */
  kernelSize?: number;
  /** Separable only: filters per input channel in the depthwise stage. Default 1. */
  depthMultiplier?: number;
  /** One bias per output channel (separable: on the pointwise stage only, as Keras). */
  bias?: boolean;
  /** For multiplyCount. Default 1. */
  strides?: number;
  /** For multiplyCount. Default 'valid'. */
  padding?: Padding;
}

interface Resolved {
  kind: ConvKind;
  m: number;
  n: number;
  k: number;
  d: number;
  bias: boolean;
  strides: number;
  padding: Padding;
}

function resolve(fn: string, spec: ConvSpec): Resolved {
  if (typeof spec !== 'object' || spec === null) {
    throw new InvalidArgumentError(fn, 'spec', spec, 'a ConvSpec object');
  }
  const kind = checkOneOf(fn, 'spec.kind', spec.kind, CONV_KINDS);
  const m = checkInteger(fn, 'spec.inChannels', spec.inChannels, { min: 1 });
  const n = checkInteger(fn, 'spec.outChannels', spec.outChannels, { min: 1 });
  const k =
    kind === 'pointwise' ? 1 : checkInteger(fn, 'spec.kernelSize', spec.kernelSize, { min: 1 });
  if (kind === 'depthwise' && n % m !== 0) {
    throw new InvalidArgumentError(
      fn,
      'spec.outChannels',
      n,
      `a multiple of spec.inChannels (${m}) for a depthwise convolution (out = K * in)`,
    );
  }
  const d = kind === 'depthwise' ? n / m : (spec.depthMultiplier ?? 1);
  if (kind === 'separable') checkInteger(fn, 'spec.depthMultiplier', d, { min: 1 });
  const strides = checkInteger(fn, 'spec.strides', spec.strides ?? 1, { min: 1 });
  const padding = kind === 'pointwise' ? 'valid' : checkPadding(fn, spec.padding ?? 'valid');
  return { kind, m, n, k, d, bias: spec.bias ?? false, strides, padding };
}

/** Weights (multiplications per output position) of each kind, in the seed's formulas. */
function perPosition({ kind, m, n, k, d }: Resolved): number {
  switch (kind) {
    case 'conventional':
      return n * m * k * k;
    case 'depthwise':
      return n * k * k;
    case 'pointwise':
      return n * m;
    case 'separable':
      return m * d * k * k + n * m * d;
  }
}

/**
 * Trainable parameters of a convolution, in the seed's formulas (M inputs, N filters, k x k):
 * conventional N*M*k^2; depthwise (multiplier K = N/M) N*k^2; pointwise N*M; separable
 * M*k^2 + N*M (with multiplier K: M*K*k^2 + N*M*K); plus N biases when `bias` is set.
 * Equals the weights the matching layer builds, and PyTorch's `numel`.
 */
export function paramCount(spec: ConvSpec): number {
  const r = resolve('paramCount', spec);
  return perPosition(r) + (r.bias ? r.n : 0);
}

/**
 * Multiply-accumulates of one forward pass over an input of `inputSize` (H, or [H, W]): the
 * per-position weight count times the output positions Ho*Wo (bias additions not counted).
 * For separable: M*k^2*Ho*Wo (depthwise) + N*M*Ho*Wo (pointwise). The seed's example, 8x8x3 input,
 * 256 filters of 5x5 with 'same' padding: 1,228,800 conventional vs 4,800 + 49,152 = 53,952.
 */
export function multiplyCount(spec: ConvSpec, inputSize: number | [number, number]): number {
  const r = resolve('multiplyCount', spec);
  const [h, w] = typeof inputSize === 'number' ? [inputSize, inputSize] : inputSize;
  checkInteger('multiplyCount', 'inputSize (height)', h, { min: 1 });
  checkInteger('multiplyCount', 'inputSize (width)', w, { min: 1 });
  const ho = convOutputLength(h, r.k, r.strides, r.padding)!;
  const wo = convOutputLength(w, r.k, r.strides, r.padding)!;
  if (ho < 1 || wo < 1) {
    throw new InvalidArgumentError(
      'multiplyCount',
      'inputSize',
      inputSize,
      `at least the kernel size ${r.k} (after padding)`,
    );
  }
  return perPosition(r) * ho * wo;
}
