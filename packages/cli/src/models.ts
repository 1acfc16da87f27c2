import { existsSync } from 'node:fs';
import type * as tfl from '@tensorflow/tfjs-layers';
import { ModelFileError } from '@face/core';
import { registerAlignTransforms } from '@face/align';
import { loadFaceModel, type ClassifierHead, type TrainingRecord } from '@face/recipes';
import { compose, normalize, resize, type Transform } from '@face/data';
import { UsageError } from './args';
import { buildBackbone } from './backbones';
import { readFaceCropRecord, type FaceCropRecord } from './face-crop-record';

export interface LoadedModel {
  backbone: tfl.LayersModel;
  head: ClassifierHead | null;
  classNames: string[] | null;
  imageSize: number;
  /** The normalization alone, for images already at `imageSize` (synthetic ones). */
  normalization: Transform;
  /** Everything images of any size go through: resize/crop to `imageSize`, then normalization. */
  preprocess: Transform;
  description: string;
  /** The people it trained on (face-model.json `training`); null without a record (dlib-resnet). */
  training: TrainingRecord | null;
  /** What `face train --crop/--align` did to its pictures (face-model.json `meta.faceCrop`). */
  faceCrop: FaceCropRecord | null;
}

/** `--model`: a directory written by `face train` (`<out>/model`), or `dlib-resnet`. */
export async function loadModelFlag(
  command: string,
  spec: string,
  weights?: string,
): Promise<LoadedModel> {
  if (spec === 'dlib-resnet') {
    const b = await buildBackbone('dlib-resnet', weights ? { weights } : {});
    return {
      backbone: b.model,
      head: null,
      classNames: null,
      imageSize: b.imageSize,
      normalization: b.normalization,
      preprocess: compose([resize([b.imageSize, b.imageSize]), b.normalization]),
      description: "dlib-resnet (pretrained, face-api's weights)",
      training: null,
      faceCrop: null,
    };
  }
  if (!existsSync(spec))
    throw new UsageError(
      `face ${command}: flag --model names '${spec}', which does not exist (a model/ folder written by 'face train', or dlib-resnet)`,
    );
  let model;
  // A model aligned by alignTransform saves 'align.similarity' steps; a bundle may have dropped
  // @face/align's own registration (its package is side-effect free).
  registerAlignTransforms();
  try {
    model = await loadFaceModel(spec);
  } catch (err) {
    // A damaged or hostile model folder is a failure (exit 1, one line naming the file and the
    // entry), not a usage error.
    if (err instanceof ModelFileError) throw err;
    throw new UsageError(`face ${command}: flag --model: ${(err as Error).message}`);
  }
  const { manifest, spec: saved } = model;
  const backboneName = saved.backbone.name;
  // The preprocessing the model was saved with (a version-1 model: what its backbone expects).
  const { size, normalization } = saved.input;
  return {
    backbone: model.backbone,
    head: model.head,
    classNames: manifest.classNames,
    imageSize: size,
    normalization: normalize({ mean: [...normalization.mean], std: [...normalization.std] }),
    preprocess: model.preprocess,
    training: saved.training ?? null,
    faceCrop: readFaceCropRecord(manifest.meta.faceCrop),
    description: `${spec} (${backboneName}, ${String(manifest.meta.recipe ?? '')} recipe${model.head ? `, ${model.head.kind} head over ${model.head.numClasses} identities` : ''})`,
  };
}
