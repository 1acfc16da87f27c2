import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { checkOneOf } from '@face/core';
import type { WeightsSource } from './weights/read';
import {
  DLIB_RESNET_BLOCKS,
  DLIB_RESNET_EMBEDDING_SIZE,
  DLIB_RESNET_INPUT_SIZE,
  type DlibResNetBlock,
} from './dlib-resnet/architecture';
import { DLIB_DISTANCE_THRESHOLD, loadDlibResNet } from './dlib-resnet/load';
import { dlibPreprocess, type DlibImages } from './dlib-resnet/preprocess';

/** A pretrained face-embedding network, everything a tool needs to use it by name. */
export interface PretrainedModel {
  name: string;
  description: string;
  /** Side of the square input, in pixels. */
  inputSize: number;
  embeddingSize: number;
  /** Block names, input to output, for freezing early blocks when fine-tuning. */
  blocks: readonly string[];
  /** Euclidean distance between embeddings under which the authors call two faces the same person. */
  distanceThreshold: number;
  /** Builds the model with its pretrained weights (see the model's own loader for `source`). */
  load(source?: WeightsSource, options?: { trainableFrom?: string }): Promise<tfl.LayersModel>;
  /** Images (RGB, 0..255) -> the model's input batch. */
  preprocess(images: DlibImages): tf.Tensor4D;
}

/** Names accepted by {@link pretrainedModel}. */
export const PRETRAINED_MODELS = ['dlib-resnet'] as const;
export type PretrainedModelName = (typeof PRETRAINED_MODELS)[number];

const MODELS: Record<PretrainedModelName, PretrainedModel> = {
  'dlib-resnet': {
    name: 'dlib-resnet',
    description:
      "dlib's face-recognition ResNet (Davis King), 150x150 RGB -> 128-d descriptor, weights from @vladmandic/face-api",
    inputSize: DLIB_RESNET_INPUT_SIZE,
    embeddingSize: DLIB_RESNET_EMBEDDING_SIZE,
    blocks: DLIB_RESNET_BLOCKS,
    distanceThreshold: DLIB_DISTANCE_THRESHOLD,
    load: (source, options = {}) =>
      loadDlibResNet(source, {
        trainableFrom: options.trainableFrom as DlibResNetBlock | undefined,
      }),
    preprocess: (images) => dlibPreprocess(images),
  },
};

/** A pretrained model by name, e.g. `pretrainedModel('dlib-resnet')` for `face embed --model`. */
export function pretrainedModel(name: string): PretrainedModel {
  return MODELS[checkOneOf('pretrainedModel', 'name', name, PRETRAINED_MODELS)];
}
