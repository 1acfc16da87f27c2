import * as tfl from '@tensorflow/tfjs-layers';
import { convNormAct, iresnet, iresnetTiny, mobileFaceNet, type IResNetDepth } from '@face/layers';
import { DLIB_MEAN_RGB, faceApiModelDir, pretrainedModel } from '@face/pretrained';
import { normalize, type Transform } from '@face/data';
import { UsageError } from './args';

export const BACKBONES = [
  'iresnet-tiny',
  'iresnet18',
  'iresnet34',
  'iresnet50',
  'iresnet100',
  'mobilefacenet',
  'convnet-tiny',
  'dlib-resnet',
] as const;
export type BackboneName = (typeof BACKBONES)[number];

export interface BackboneOptions {
  /** Input side; default per backbone (64 for the tiny ones, 112, 150 for dlib). */
  imageSize?: number;
  embeddingSize?: number;
  seed?: number;
  /** dlib-resnet: first trainable block (the earlier ones are frozen). */
  trainableFrom?: string;
  /** dlib-resnet: face-api's model folder (default: found from the working directory). */
  weights?: string;
}

export interface BuiltBackbone {
  model: tfl.LayersModel;
  name: BackboneName;
  imageSize: number;
  /** What images go through before the model (after resizing to `imageSize`). */
  normalization: Transform;
  pretrained: boolean;
}

/**
 * A small plain CNN (three stride-2 conv-BN-PReLU blocks and a linear embedding): trains at
 * usable speed on the pure-JS `cpu` backend, for smoke runs and tests.
 */
export function convnetTiny({
  inputSize = 32,
  embeddingSize = 64,
  channels = [16, 32, 64],
  seed = 0,
}: {
  inputSize?: number;
  embeddingSize?: number;
  channels?: number[];
  seed?: number;
} = {}): tfl.LayersModel {
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

/**
 * The preprocessing a backbone expects after resizing: face-api's `(x - mean RGB) / 255` for
 * dlib-resnet (normalize with mean/255 and std 1), InsightFace's `x / 127.5 - 1` otherwise.
 */
export function normalizationFor(name: string): Transform {
  return name === 'dlib-resnet'
    ? normalize({ mean: DLIB_MEAN_RGB.map((m) => m / 255), std: 1 })
    : normalize();
}

/** Builds (or, for dlib-resnet, loads) a backbone by name. */
export async function buildBackbone(
  name: BackboneName,
  o: BackboneOptions = {},
): Promise<BuiltBackbone> {
  const seed = o.seed ?? 0;
  const emb = o.embeddingSize !== undefined ? { embeddingSize: o.embeddingSize } : {};
  if (name === 'dlib-resnet') {
    const spec = pretrainedModel('dlib-resnet');
    if (o.imageSize !== undefined && o.imageSize !== spec.inputSize)
      throw new UsageError(
        `face: flag --image-size must be ${spec.inputSize} with --backbone dlib-resnet, got '${o.imageSize}'`,
      );
    if (o.embeddingSize !== undefined && o.embeddingSize !== spec.embeddingSize)
      throw new UsageError(
        `face: flag --embedding-size must be ${spec.embeddingSize} with --backbone dlib-resnet, got '${o.embeddingSize}'`,
      );
    let weights = o.weights;
    if (weights === undefined) {
      try {
        weights = await faceApiModelDir();
      } catch {
        throw new UsageError(
          "face: --backbone dlib-resnet needs face-api's weights: npm install @vladmandic/face-api, or pass --weights <its model/ folder>",
        );
      }
    }
    const model = await spec.load(
      weights,
      o.trainableFrom ? { trainableFrom: o.trainableFrom } : {},
    );
    return {
      model,
      name,
      imageSize: spec.inputSize,
      normalization: normalizationFor(name),
      pretrained: true,
    };
  }
  if (o.trainableFrom !== undefined)
    throw new UsageError(`face: flag --trainable-from only applies to --backbone dlib-resnet`);
  let model: tfl.LayersModel;
  let imageSize: number;
  const sized = (d: number) => {
    imageSize = o.imageSize ?? d;
    if (imageSize % 16 !== 0)
      throw new UsageError(
        `face: flag --image-size must be a multiple of 16 for --backbone ${name}, got '${imageSize}'`,
      );
    return imageSize;
  };
  switch (name) {
    case 'iresnet-tiny':
      model = iresnetTiny({ inputSize: sized(64), seed, ...emb });
      break;
    case 'mobilefacenet':
      model = mobileFaceNet({ inputSize: sized(112), seed, ...emb });
      break;
    case 'convnet-tiny':
      imageSize = o.imageSize ?? 32;
      if (imageSize % 8 !== 0)
        throw new UsageError(
          `face: flag --image-size must be a multiple of 8 for --backbone convnet-tiny, got '${imageSize}'`,
        );
      model = convnetTiny({ inputSize: imageSize, seed, ...emb });
      break;
    default:
      model = iresnet({
        depth: Number(name.slice('iresnet'.length)) as IResNetDepth,
        inputSize: sized(112),
        seed,
        ...emb,
      });
  }
  return {
    model,
    name,
    imageSize: imageSize!,
    normalization: normalizationFor(name),
    pretrained: false,
  };
}
