import * as tfl from '@tensorflow/tfjs-layers';
import type { NormSpec } from '@face/norms';
import { checkNumber } from '@face/core';
import type { DropBlockSpec } from '../blocks/block-options';
import { convNormAct } from '../blocks/conv-norm-act';
import { invertedResidual } from '../blocks/inverted-residual';
import type { KernelInitializer } from '../conv/initializers';
import { gdcHead } from '../heads/gdc-head';
import { checkInputSize, scaleChannels } from './iresnet';

/** MobileFaceNet's bottleneck stages (Chen et al. 2018, Table 1): expansion t, channels c, repeats n, stride s. */
export const MOBILEFACENET_STAGES = [
  { t: 2, c: 64, n: 5, s: 2 },
  { t: 4, c: 128, n: 1, s: 2 },
  { t: 2, c: 128, n: 6, s: 1 },
  { t: 4, c: 128, n: 1, s: 2 },
  { t: 2, c: 128, n: 2, s: 1 },
] as const;

export interface MobileFaceNetOptions {
  /** Side of the square input. Default 112; any multiple of 16 works (64 included). */
  inputSize?: number;
  /** 128 (default, the paper's) or 512, or any other. */
  embeddingSize?: number;
  /** Channel multiplier on every layer. Default 1. */
  width?: number;
  norm?: NormSpec | 'none';
  /** DropBlock on the output of each bottleneck at 14x14 and below (the last three rows of Table 1). */
  dropBlock?: DropBlockSpec | null;
  kernelInitializer?: KernelInitializer;
  seed?: number;
  /** Model name. Default 'mobilefacenet'. */
  name?: string;
}

/**
 * MobileFaceNet (Chen et al. 2018, Table 1): conv3x3/2 64, depthwise 3x3 64, five stages of
 * inverted residuals with PReLU, conv1x1 512, then the GDC head to a 128-d (or 512-d) embedding.
 * Input NHWC [N, S, S, 3], output [N, embeddingSize]. Layer names: `conv1.*`, `conv2_dw.*`,
 * `stage<i>.<j>.*`, `conv_last.*`, `head.*`.
 */
export function mobileFaceNet(options: MobileFaceNetOptions = {}): tfl.LayersModel {
  const fn = 'mobileFaceNet';
  const size = checkInputSize(fn, options.inputSize);
  const width = checkNumber(fn, 'width', options.width ?? 1, { min: 0, exclusiveMin: true });
  const { norm = 'batch', kernelInitializer, seed } = options;
  const common = { norm, kernelInitializer, seed, activation: 'prelu' as const };
  const c = (channels: number) => scaleChannels(channels, width);
  const input = tfl.input({ shape: [size, size, 3], name: 'input' });
  let x = convNormAct(input, { ...common, name: 'conv1', filters: c(64), strides: 2, padding: 1 });
  x = convNormAct(x, { ...common, name: 'conv2_dw', conv: 'depthwise', kernelSize: 3, padding: 1 });
  MOBILEFACENET_STAGES.forEach(({ t, c: channels, n, s }, i) => {
    for (let j = 0; j < n; j++) {
      x = invertedResidual(x, {
        ...common,
        name: `stage${i + 1}.${j}`,
        filters: c(channels),
        expansion: t,
        strides: j === 0 ? s : 1,
        dropBlock: i >= 2 ? options.dropBlock : null,
      });
    }
  });
  x = convNormAct(x, { ...common, name: 'conv_last', conv: 'pointwise', filters: c(512) });
  const output = gdcHead(x, {
    embeddingSize: options.embeddingSize ?? 128,
    norm,
    kernelInitializer,
    seed,
  });
  return tfl.model({ inputs: input, outputs: output, name: options.name ?? 'mobilefacenet' });
}
