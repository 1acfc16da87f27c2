import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { BatchNorm, type NormSpec } from '@face/norms';
import { checkInteger, checkNumber } from '@face/core';
import { kernelInitializer, type KernelInitializer } from '../conv/initializers';
import { chain, channelsOf, layerSeed, normLayer } from '../blocks/block-options';

export interface EmbeddingHeadOptions {
  /** Layer name prefix. Default 'head'. */
  name?: string;
  /** Embedding dimension. Default 512. */
  embeddingSize?: number;
  /** Dropout rate before the FC layer (training only). Default 0. */
  dropout?: number;
  /** Norm of the final feature map. Default 'batch'; 'none' also drops the embedding BN. */
  norm?: NormSpec | 'none';
  /** Initializer of the FC kernel. Default 'glorotUniform'. */
  kernelInitializer?: KernelInitializer;
  seed?: number;
}

/**
 * The ArcFace "BN-Dropout-FC-BN" embedding head (Deng et al. 2019, sec. 3.2, option E): norm of
 * the last feature map, flatten, dropout, fully connected to the embedding (with bias), then a
 * BatchNorm without scale (InsightFace fixes that scale to 1). Layers `<name>.norm`,
 * `.flatten`, `.dropout`, `.fc`, `.features`. Flattening is row-major over H, W, C (NHWC).
 */
export function embeddingHead(
  x: SymbolicTensor,
  options: EmbeddingHeadOptions = {},
): SymbolicTensor {
  const fn = 'embeddingHead';
  const { name = 'head', norm = 'batch' } = options;
  const units = checkInteger(fn, 'embeddingSize', options.embeddingSize ?? 512, { min: 1 });
  const rate = checkNumber(fn, 'dropout', options.dropout ?? 0, {
    min: 0,
    max: 1,
    exclusiveMax: true,
  });
  channelsOf(fn, x);
  return chain(
    x,
    normLayer(norm, `${name}.norm`),
    layers.flatten({ name: `${name}.flatten` }),
    rate > 0 ? layers.dropout({ rate, name: `${name}.dropout` }) : null,
    layers.dense({
      units,
      name: `${name}.fc`,
      kernelInitializer: kernelInitializer(
        fn,
        options.kernelInitializer ?? 'glorotUniform',
        layerSeed(options.seed, `${name}.fc`),
      ),
    }),
    norm === 'none' ? null : new BatchNorm({ scale: false, name: `${name}.features` }),
  );
}
