import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@face/core';

/** Manifest file name of the dlib ResNet in face-api's `model/` folder. */
export const DLIB_RESNET_MANIFEST = 'face_recognition_model-weights_manifest.json';

/**
 * The manifest entry each weight of a layer comes from. face-api names them
 * `<block>/<unit>/conv/{filters,bias}`, `<block>/<unit>/scale/{weights,biases}` and `fc`; our
 * layers are the same path with `_` for `/` (`conv32_1_conv1_conv`, `conv32_1_conv1_scale`, `fc`).
 */
function sourcesOf(layer: tfl.layers.Layer): string[] | undefined {
  const { name } = layer;
  const unitPath = (unit: string) => unit.replace(/_(conv[12])$/, '/$1');
  if (name === 'fc') return ['fc'];
  if (layer.getClassName() === 'Conv2D' && name.endsWith('_conv')) {
    const unit = unitPath(name.slice(0, -'_conv'.length));
    return [`${unit}/conv/filters`, `${unit}/conv/bias`];
  }
  if (layer.getClassName() === 'ChannelAffine' && name.endsWith('_scale')) {
    const unit = unitPath(name.slice(0, -'_scale'.length));
    return [`${unit}/scale/weights`, `${unit}/scale/biases`];
  }
  return undefined;
}

/**
 * Copies face-api's dlib ResNet weights (decoded from its manifest) into a model built by
 * `dlibResNet()`. Every weighted layer must find its entries with matching shapes; entries the
 * model does not use are ignored. Does not dispose `weights`.
 */
export function setDlibResNetWeights(
  fn: string,
  model: tfl.LayersModel,
  weights: tf.NamedTensorMap,
): void {
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const sources = sourcesOf(layer);
    if (!sources || sources.length !== layer.weights.length) {
      throw new InvalidArgumentError(fn, 'model', layer.name, 'a model built by dlibResNet()');
    }
    const values = sources.map((name, i) => {
      const value = weights[name];
      const shape = layer.weights[i].shape;
      if (!value) {
        throw new InvalidArgumentError(
          fn,
          'source',
          name,
          `a manifest with an entry named '${name}' (face-api's face_recognition_model)`,
        );
      }
      if (value.shape.join(',') !== shape.join(',')) {
        throw new InvalidArgumentError(
          fn,
          `source entry '${name}'`,
          value,
          `shape [${shape.join(', ')}] for layer ${layer.name}`,
        );
      }
      return value;
    });
    layer.setWeights(values);
  }
}
