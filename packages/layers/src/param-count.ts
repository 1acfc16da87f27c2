import { checkInteger, checkOneOf } from '@face/core';

export type ConvKind = 'conventional' | 'depthwise' | 'pointwise' | 'separable';

export interface ConvSpec {
  kind: ConvKind;
  /** M in the seed's notation. */
  inChannels: number;
  /** N: filters. For `depthwise` it must be a multiple of inChannels (depth multiplier K = N / M). */
  outChannels: number;
  /** Square kernel size K (ignored for pointwise, which is 1). */
  kernelSize?: number;
  /** One bias per output channel (for separable: on the pointwise stage only, as Keras' SeparableConv2D). */
  bias?: boolean;
}

const KINDS: readonly ConvKind[] = ['conventional', 'depthwise', 'pointwise', 'separable'];

function validate(fn: string, spec: ConvSpec): Required<ConvSpec> {
  const kind = checkOneOf(fn, 'spec.kind', spec.kind, KINDS);
  const m = checkInteger(fn, 'spec.inChannels', spec.inChannels, { min: 1 });
  const n = checkInteger(fn, 'spec.outChannels', spec.outChannels, { min: 1 });
  const k =
    kind === 'pointwise' ? 1 : checkInteger(fn, 'spec.kernelSize', spec.kernelSize, { min: 1 });
  if (kind === 'depthwise' && n % m !== 0) {
    checkInteger(fn, 'spec.outChannels / spec.inChannels (depth multiplier)', n / m);
  }
  return { kind, inChannels: m, outChannels: n, kernelSize: k, bias: spec.bias ?? false };
}

/**
 * Trainable parameters of a convolution, in the seed's formulas (M inputs, N filters, K x K):
 * conventional N*M*K^2; depthwise (multiplier N/M) N*K^2; pointwise N*M; separable M*K^2 + N*M;
 * plus N biases when `bias` is set.
 */
export function paramCount(spec: ConvSpec): number {
  const { kind, inChannels: m, outChannels: n, kernelSize: k, bias } = validate('paramCount', spec);
  const weights = {
    conventional: n * m * k * k,
    depthwise: n * k * k,
    pointwise: n * m,
    separable: m * k * k + n * m,
  }[kind];
  return weights + (bias ? n : 0);
}
