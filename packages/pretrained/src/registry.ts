import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { checkOneOf, InvalidArgumentError } from '@face/core';
import { registerBackbone, type BackboneOptions } from '@face/layers';
import type { WeightsSource } from './weights/read';
import {
  DLIB_RESNET_BLOCKS,
  DLIB_RESNET_EMBEDDING_SIZE,
  DLIB_RESNET_INPUT_SIZE,
  type DlibResNetBlock,
} from './dlib-resnet/architecture';
import { DLIB_DISTANCE_THRESHOLD, loadDlibResNet } from './dlib-resnet/load';
import { DLIB_MEAN_RGB, dlibPreprocess, type DlibImages } from './dlib-resnet/preprocess';
import { faceApiModelDir } from './weights/face-api';

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

/** `buildBackbone('dlib-resnet', options)`: the common options and where the weights come from. */
export interface DlibBackboneOptions extends BackboneOptions {
  /** face-api's `model/` folder or manifest (path or URL), or the weights in memory. Default: found from the working directory (Node). */
  weights?: WeightsSource;
  /** First trainable block; the earlier ones are frozen. Default: all trainable. */
  trainableFrom?: DlibResNetBlock;
}

declare module '@face/layers' {
  interface BackboneOptionsByName {
    'dlib-resnet': DlibBackboneOptions;
  }
}

// Importing this package registers its backbones (package.json `sideEffects`): a program that
// imports @face/pretrained anywhere can build 'dlib-resnet' by name, as tfjs's classes register.
const dlib = MODELS['dlib-resnet'];
registerBackbone<DlibBackboneOptions>('dlib-resnet', {
  description: dlib.description,
  inputSize: dlib.inputSize,
  inputSizeRule: { fixed: dlib.inputSize },
  embeddingSize: dlib.embeddingSize,
  embeddingSizeRule: { fixed: dlib.embeddingSize },
  pretrained: true,
  // face-api's `(x - mean RGB) / 255`: on 0..1 pixels, mean RGB / 255 and std 1.
  preprocessing: {
    normalization: {
      mean: DLIB_MEAN_RGB.map((m) => m / 255) as [number, number, number],
      std: [1, 1, 1],
    },
  },
  options: {
    weights:
      "face-api's model/ folder or manifest (path or URL), or the weights in memory; default: @vladmandic/face-api's, found from the working directory",
    trainableFrom: `first trainable block, one of ${DLIB_RESNET_BLOCKS.join(', ')}; the earlier ones are frozen`,
  },
  build: async ({ weights, trainableFrom }) =>
    dlib.load(weights ?? (await defaultWeights()), trainableFrom ? { trainableFrom } : {}),
});

/** face-api's weights next to the program; failing, an error that says which option to pass. */
async function defaultWeights(): Promise<string> {
  try {
    return await faceApiModelDir();
  } catch (err) {
    throw new InvalidArgumentError(
      "buildBackbone('dlib-resnet')",
      'options.weights',
      undefined,
      `face-api's model/ folder (a path or URL) or its weights in memory: none was given, and the default was not found (${(err as Error).message})`,
    );
  }
}
