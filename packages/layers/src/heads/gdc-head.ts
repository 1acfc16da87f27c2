import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { BatchNorm, type NormSpec } from '@face/norms';
import { checkInteger, ShapeError } from '@face/core';
import { DepthwiseConv2d } from '../conv/depthwise-conv2d';
import { kernelInitializer, type KernelInitializer } from '../conv/initializers';
import { chain, channelsOf, layerSeed, normLayer } from '../blocks/block-options';

export interface GdcHeadOptions {
  /** Layer name prefix. Default 'head'. */
  name?: string;
  /** Embedding dimension. Default 128 (MobileFaceNet's); 512 is the other common choice. */
  embeddingSize?: number;
  /** Norm after the GDC. Default 'batch'; 'none' also drops the embedding BN. */
  norm?: NormSpec | 'none';
  kernelInitializer?: KernelInitializer;
  seed?: number;
}

/**
 * MobileFaceNet's global depthwise convolution head (Chen et al. 2018, sec. 3.1-3.2): a depthwise
 * conv whose kernel covers the whole (square) map, so each channel learns its own spatial
 * weighting instead of a uniform average pool; a norm; then a linear 1x1 conv (here, an
 * equivalent bias-free dense layer on the 1x1 map) to the embedding and a BatchNorm. Layers
 * `<name>.gdc.conv`, `.gdc.norm`, `.flatten`, `.fc`, `.features`.
 */
export function gdcHead(x: SymbolicTensor, options: GdcHeadOptions = {}): SymbolicTensor {
  const fn = 'gdcHead';
  const { name = 'head', norm = 'batch', kernelInitializer: init = 'heNormal' } = options;
  const units = checkInteger(fn, 'embeddingSize', options.embeddingSize ?? 128, { min: 1 });
  channelsOf(fn, x);
  const [, h, w] = x.shape;
  if (h == null || h !== w) {
    throw new ShapeError(
      fn,
      'x',
      x.shape.map((d) => d ?? -1),
      'a square feature map of known size',
    );
  }
  return chain(
    x,
    new DepthwiseConv2d({
      kernelSize: h,
      padding: 'valid',
      useBias: norm === 'none',
      kernelInitializer: init,
      seed: layerSeed(options.seed, `${name}.gdc.conv`),
      name: `${name}.gdc.conv`,
    }),
    normLayer(norm, `${name}.gdc.norm`),
    layers.flatten({ name: `${name}.flatten` }),
    layers.dense({
      units,
      useBias: norm === 'none',
      name: `${name}.fc`,
      kernelInitializer: kernelInitializer(
        fn,
        'glorotUniform',
        layerSeed(options.seed, `${name}.fc`),
      ),
    }),
    norm === 'none' ? null : new BatchNorm({ name: `${name}.features` }),
  );
}
