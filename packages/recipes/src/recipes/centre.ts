import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@face/core';
import type { FaceDataset, Transform } from '@face/data';
import { embedDataset } from '../evaluate/embed';
import type { Backbone } from './run';

/** Name of the layer {@link withCentre} appends. */
export const CENTRE_LAYER = 'centre';

/**
 * The backbone followed by a frozen `centre` layer that subtracts a fixed vector (zero until
 * {@link setCentre}): a pretrained embedding made for Euclidean distance (dlib's) sits in a
 * narrow cone, mean cosine 0.92 between different drawn people, which a cosine head and cosine
 * scoring see as nearly parallel; less the training people's mean it is near 0. A standard Dense
 * layer (identity kernel, bias = -mean, not trainable) so that the offset saves and loads with
 * the backbone's own weights in tfjs-layers' model.json, with no class to register.
 */
export function withCentre(fn: string, backbone: Backbone): tfl.LayersModel {
  const model = backbone as tfl.LayersModel;
  const output = model.outputs?.[0];
  const dim = output?.shape[1];
  if (model.outputs?.length !== 1 || output.shape.length !== 2 || typeof dim !== 'number')
    throw new InvalidArgumentError(
      fn,
      'backbone',
      model.outputs?.map((o) => o.shape),
      'one [n, d] embedding output to centre',
    );
  if (model.layers.some((l) => l.name === CENTRE_LAYER))
    throw new InvalidArgumentError(
      fn,
      'backbone',
      model.name,
      `a backbone without a '${CENTRE_LAYER}' layer (centre: false for one centred already)`,
    );
  const layer = tfl.layers.dense({
    units: dim,
    name: CENTRE_LAYER,
    kernelInitializer: 'identity',
    biasInitializer: 'zeros',
    trainable: false,
  });
  const centred = layer.apply(output) as tfl.SymbolicTensor;
  return tfl.model({ inputs: model.inputs, outputs: centred, name: model.name });
}

/** The centre layer of a model from {@link withCentre}. */
export function centreLayer(model: tfl.LayersModel): tfl.layers.Layer {
  return model.getLayer(CENTRE_LAYER);
}

/** Sets the subtracted vector: the bias becomes `-mean`; the layer stays frozen. */
export function setCentre(model: tfl.LayersModel, mean: Float32Array): void {
  const layer = centreLayer(model);
  const bias = layer.weights[1];
  if (mean.length !== bias.shape[0] || !mean.every(Number.isFinite))
    throw new InvalidArgumentError(
      'setCentre',
      'mean',
      mean.length,
      `${bias.shape[0]} finite numbers`,
    );
  const b = tf.tensor1d(mean.map((x) => -x));
  bias.write(b);
  b.dispose();
  layer.trainable = false;
}

/**
 * Mean embedding of `train` (every image, in inference mode, through `transform`) by `backbone`,
 * the frozen pretrained network before any training step.
 */
export async function meanEmbedding(
  backbone: Backbone,
  train: FaceDataset,
  transform?: Transform,
): Promise<Float32Array> {
  const e = await embedDataset(backbone, train, transform ? { transform } : {});
  const mean = new Float64Array(e.dim);
  for (let i = 0; i < e.count; i++)
    for (let k = 0; k < e.dim; k++) mean[k] += e.embeddings[i * e.dim + k];
  return Float32Array.from(mean, (x) => x / e.count);
}

/** Frees the centre layer's weights (the backbone's own layers are not touched). */
export function disposeCentre(model: tfl.LayersModel): void {
  for (const w of centreLayer(model).weights) w.dispose();
}
