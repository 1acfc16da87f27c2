import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { checkOneOf, InvalidArgumentError } from '@face/core';
import { decodeWeightsFor } from '../weights/manifest';
import { readWeightsFor, type WeightsSource } from '../weights/read';
import { faceApiModelDir } from '../weights/face-api';
import { DLIB_RESNET_BLOCKS, dlibResNet, type DlibResNetBlock } from './architecture';
import { setTrainableFrom } from './freeze';
import { dlibPreprocess, type DlibImages, type DlibPreprocessOptions } from './preprocess';
import { DLIB_RESNET_MANIFEST, setDlibResNetWeights } from './weights';

export interface LoadDlibResNetOptions {
  /** Freeze the blocks before this one (see `setTrainableFrom`); default: all trainable. */
  trainableFrom?: DlibResNetBlock;
}

/**
 * Builds the dlib face-recognition ResNet with face-api's pretrained weights, as a trainable
 * `tf.LayersModel` ([n, 150, 150, 3] preprocessed faces -> [n, 128] descriptors).
 *
 * `source`: face-api's `model/` folder or its `face_recognition_model-weights_manifest.json`
 * (a path in Node, a URL anywhere), or the manifest and shard bytes in memory. Omitted in Node,
 * it is the `model/` folder of the `@vladmandic/face-api` that resolves from the working directory.
 * Quantized (uint8/uint16/float16) weights are de-quantized to float32.
 */
export async function loadDlibResNet(
  source?: WeightsSource,
  options: LoadDlibResNetOptions = {},
): Promise<tfl.LayersModel> {
  const fn = 'loadDlibResNet';
  const { trainableFrom } = options;
  if (trainableFrom !== undefined)
    checkOneOf(fn, 'options.trainableFrom', trainableFrom, DLIB_RESNET_BLOCKS);
  const artifacts = await readWeightsFor(
    fn,
    source ?? (await faceApiModelDir()),
    DLIB_RESNET_MANIFEST,
  );
  const weights = decodeWeightsFor(fn, artifacts);
  try {
    const model = dlibResNet({ kernelInitializer: 'zeros' });
    try {
      setDlibResNetWeights(fn, model, weights);
    } catch (err) {
      model.dispose();
      throw err;
    }
    if (trainableFrom !== undefined) setTrainableFrom(model, trainableFrom);
    return model;
  } finally {
    tf.dispose(weights);
  }
}

/**
 * Face descriptors of images with a dlib ResNet: `model.predict(dlibPreprocess(images))`, a
 * [n, 128] tensor the caller disposes. face-api compares them by Euclidean distance, with 0.6 as
 * the same-person threshold (`DLIB_DISTANCE_THRESHOLD`).
 */
export function dlibFaceDescriptors(
  model: tfl.LayersModel,
  images: DlibImages,
  options: DlibPreprocessOptions = {},
): tf.Tensor2D {
  if (!model || typeof model.predict !== 'function') {
    throw new InvalidArgumentError(
      'dlibFaceDescriptors',
      'model',
      model,
      'a tf.LayersModel (loadDlibResNet)',
    );
  }
  return tf.tidy(() => model.predict(dlibPreprocess(images, options)) as tf.Tensor2D);
}

/**
 * Euclidean distance under which dlib calls two descriptors the same person: the network was
 * trained to put each identity in a ball of radius 0.6 (dlib-models README).
 */
export const DLIB_DISTANCE_THRESHOLD = 0.6;
