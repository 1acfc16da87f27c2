import * as tfl from '@tensorflow/tfjs-layers';
import { convNormAct } from '../blocks/conv-norm-act';

export interface ConvnetTinyOptions {
  /** Side of the square input. Default 32; a multiple of 8 (three stride-2 blocks). */
  inputSize?: number;
  /** Default 64. */
  embeddingSize?: number;
  /** Filters of the three blocks. Default [16, 32, 64]. */
  channels?: number[];
  /** Seed of every initializer. Default 0. */
  seed?: number;
}

/**
 * A small plain CNN (three stride-2 conv-BN-PReLU blocks and a linear embedding): trains at
 * usable speed on the pure-JS `cpu` backend, for smoke runs and tests. Layer names:
 * `convnet.block<i>.*`, `convnet.flatten`, `convnet.fc`.
 */
export function convnetTiny({
  inputSize = 32,
  embeddingSize = 64,
  channels = [16, 32, 64],
  seed = 0,
}: ConvnetTinyOptions = {}): tfl.LayersModel {
  const input = tfl.input({ shape: [inputSize, inputSize, 3], name: 'convnet.input' });
  let x: tfl.SymbolicTensor = input;
  channels.forEach((filters, i) => {
    x = convNormAct(x, {
      filters,
      strides: 2,
      activation: 'prelu',
      name: `convnet.block${i + 1}`,
      seed,
    });
  });
  x = tfl.layers.flatten({ name: 'convnet.flatten' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers
    .dense({
      units: embeddingSize,
      name: 'convnet.fc',
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
    })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: x, name: 'convnet-tiny' });
}
