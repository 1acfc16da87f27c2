import * as tfl from '@tensorflow/tfjs-layers';
import { checkOneOf } from '@face/core';
import { convUnit, residualBlock, residualDownBlock } from './blocks';

/** Side of the square RGB face chip the network takes (dlib's `get_face_chip` size). */
export const DLIB_RESNET_INPUT_SIZE = 150;
/** Length of the face descriptor. */
export const DLIB_RESNET_EMBEDDING_SIZE = 128;

/**
 * The network's blocks, input to output, named as face-api names their weights. Every layer of
 * the model is named `<block>_<part>` (e.g. `conv64_down_conv1_conv`), except the weightless
 * global pool `avg_pool`; `fc` is the 256 -> 128 projection to the descriptor.
 */
export const DLIB_RESNET_BLOCKS = [
  'conv32_down',
  'conv32_1',
  'conv32_2',
  'conv32_3',
  'conv64_down',
  'conv64_1',
  'conv64_2',
  'conv64_3',
  'conv128_down',
  'conv128_1',
  'conv128_2',
  'conv256_down',
  'conv256_1',
  'conv256_2',
  'conv256_down_out',
  'fc',
] as const;

export type DlibResNetBlock = (typeof DLIB_RESNET_BLOCKS)[number];

/** Residual stages: block name, width, whether it downsamples. */
const STAGES: readonly [DlibResNetBlock, number, boolean][] = [
  ['conv32_1', 32, false],
  ['conv32_2', 32, false],
  ['conv32_3', 32, false],
  ['conv64_down', 64, true],
  ['conv64_1', 64, false],
  ['conv64_2', 64, false],
  ['conv64_3', 64, false],
  ['conv128_down', 128, true],
  ['conv128_1', 128, false],
  ['conv128_2', 128, false],
  ['conv256_down', 256, true],
  ['conv256_1', 256, false],
  ['conv256_2', 256, false],
  ['conv256_down_out', 256, true],
];

export interface DlibResNetOptions {
  /**
   * Initializer of the convolution kernels for a model trained from scratch: `'heNormal'` (He et
   * al. 2015, the ResNet default) or `'zeros'` (cheap, for weights that will be overwritten).
   */
  kernelInitializer?: 'heNormal' | 'zeros';
}

/**
 * The dlib face-recognition ResNet (dlib's `dnn_face_recognition_ex.cpp` network, "ResNet-34 with
 * a few layers removed and half the filters"): a 7x7/2 stem with a 3x3/2 max pool, 14 residual
 * blocks (32, 64, 128, 256 filters; 3 of them downsampling, plus a final downsampling block at
 * 256), a global average pool and a bias-free 256 -> 128 projection. Input: [batch, 150, 150, 3]
 * as {@link dlibPreprocess} makes it; output: [batch, 128] face descriptors.
 * Untrained; {@link loadDlibResNet} builds it with the pretrained weights.
 */
export function dlibResNet(options: DlibResNetOptions = {}): tfl.LayersModel {
  const kernelInitializer = checkOneOf(
    'dlibResNet',
    'options.kernelInitializer',
    options.kernelInitializer ?? 'heNormal',
    ['heNormal', 'zeros'],
  );
  const size = DLIB_RESNET_INPUT_SIZE;
  const image = tfl.input({ shape: [size, size, 3], name: 'image' });
  let x = convUnit(image, 'conv32_down', {
    filters: 32,
    kernelSize: 7,
    strides: 2,
    padding: 'valid',
    relu: true,
    kernelInitializer,
  });
  x = tfl.layers
    .maxPooling2d({ poolSize: 3, strides: 2, padding: 'valid', name: 'conv32_down_pool' })
    .apply(x) as tfl.SymbolicTensor;
  for (const [block, filters, down] of STAGES) {
    x = (down ? residualDownBlock : residualBlock)(x, block, filters, kernelInitializer);
  }
  x = tfl.layers.globalAveragePooling2d({ name: 'avg_pool' }).apply(x) as tfl.SymbolicTensor;
  const descriptor = tfl.layers
    .dense({
      units: DLIB_RESNET_EMBEDDING_SIZE,
      useBias: false,
      kernelInitializer: kernelInitializer === 'zeros' ? 'zeros' : 'glorotUniform',
      name: 'fc',
    })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: image, outputs: descriptor, name: 'dlib_resnet' });
}
