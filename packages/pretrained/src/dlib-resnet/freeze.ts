import type * as tfl from '@tensorflow/tfjs-layers';
import { checkOneOf } from '@face/core';
import { DLIB_RESNET_BLOCKS, type DlibResNetBlock } from './architecture';

// Longest names first, so that `conv256_down_out_...` is not taken for `conv256_down`.
const BY_LENGTH = [...DLIB_RESNET_BLOCKS].sort((a, b) => b.length - a.length);

/**
 * The block a layer of the dlib ResNet belongs to, from its name (`<block>_<part>`, or the block
 * name itself for `fc`); undefined for the input and the weightless global pool.
 */
export function dlibResNetBlockOf(layerName: string): DlibResNetBlock | undefined {
  return BY_LENGTH.find((b) => layerName === b || layerName.startsWith(`${b}_`));
}

/**
 * Freezes the blocks before `block` and makes `block` and every later one trainable, for
 * fine-tuning with the early blocks fixed: `'conv32_down'` trains everything, `'fc'` only the
 * projection to the descriptor. tfjs-layers collects trainable weights at `compile()`, so
 * compile (again) after calling this.
 */
export function setTrainableFrom(model: tfl.LayersModel, block: DlibResNetBlock): void {
  checkOneOf('setTrainableFrom', 'block', block, DLIB_RESNET_BLOCKS);
  const from = DLIB_RESNET_BLOCKS.indexOf(block);
  for (const layer of model.layers) {
    const owner = dlibResNetBlockOf(layer.name);
    if (owner !== undefined) layer.trainable = DLIB_RESNET_BLOCKS.indexOf(owner) >= from;
  }
}
