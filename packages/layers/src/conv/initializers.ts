import { initializers } from '@tensorflow/tfjs-layers';
import { checkOneOf } from '@face/core';

/** Kernel initializers by name: serializable as a plain string in a layer's config. */
export type KernelInitializer =
  | 'heNormal'
  | 'heUniform'
  | 'glorotNormal'
  | 'glorotUniform'
  | 'leCunNormal'
  | 'torchDefault'
  | 'zeros';

export const KERNEL_INITIALIZERS: readonly KernelInitializer[] = [
  'heNormal',
  'heUniform',
  'glorotNormal',
  'glorotUniform',
  'leCunNormal',
  'torchDefault',
  'zeros',
];

/**
 * The tfjs-layers initializer for a named scheme. `fanInPerFilter` corrects the fan-in of
 * depthwise kernels: tfjs counts k*k*C inputs for a [k, k, C, K] kernel, but each output of a
 * depthwise convolution sees only k*k of them (PyTorch's count for its [C*K, 1, k, k] weight).
 * `torchDefault` is PyTorch's conv/linear default, kaiming_uniform(a=sqrt(5)):
 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)), i.e. variance 1 / (3 fan_in).
 */
export function kernelInitializer(
  fn: string,
  name: KernelInitializer,
  seed: number | undefined,
  fanInCorrection = 1,
) {
  checkOneOf(fn, 'kernelInitializer', name, KERNEL_INITIALIZERS);
  if (name === 'zeros') return initializers.zeros();
  const fanIn = (scale: number) => scale * fanInCorrection;
  const schemes = {
    heNormal: { scale: fanIn(2), mode: 'fanIn', distribution: 'normal' },
    heUniform: { scale: fanIn(2), mode: 'fanIn', distribution: 'uniform' },
    leCunNormal: { scale: fanIn(1), mode: 'fanIn', distribution: 'normal' },
    torchDefault: { scale: fanIn(1 / 3), mode: 'fanIn', distribution: 'uniform' },
    glorotNormal: { scale: 1, mode: 'fanAvg', distribution: 'normal' },
    glorotUniform: { scale: 1, mode: 'fanAvg', distribution: 'uniform' },
  } as const;
  return initializers.varianceScaling({ ...schemes[name], seed });
}
