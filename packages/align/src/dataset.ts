import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkOneOf } from '@face/core';
import { ImageDecodeError, withLoad, type DecodedImage, type FaceDataset } from '@face/data';
import type { DetectedFace, FaceDetector } from './detect';
import { selectFaces, type FacePolicy } from './policy';
import { alignmentTemplate, type AlignmentTemplate, type TemplateName } from './templates';
import { alignFaces } from './warp';

/**
 * An image in which no face to keep was found. It is an `ImageDecodeError`, so @face/data's
 * loaders and the `face` commands treat it as they treat an undecodable picture: replaced by
 * another picture of the same person and listed with its reason (or the run stops, if asked).
 */
export class NoFaceError extends ImageDecodeError {
  override name = 'NoFaceError';
}

/** One picture's faces, aligned: 8-bit RGB crops at the template's size. */
export interface AlignedImage {
  crops: DecodedImage[];
  faces: DetectedFace[];
  /** Faces the detector found before the policy chose. */
  found: number;
}

/** Policies that give one face per picture, as a dataset needs. */
export const DATASET_POLICIES = ['largest', 'most-central', 'skip'] as const;

export interface AlignOptions {
  detector: FaceDetector;
  /** Default 'arcface' (112x112). */
  template?: TemplateName | AlignmentTemplate;
  /** Which faces of a picture with several; default 'largest'. */
  policy?: FacePolicy;
}

/** Detects, chooses (policy) and aligns the faces of one decoded picture. */
export async function alignImage(
  image: DecodedImage,
  options: AlignOptions,
): Promise<AlignedImage> {
  const { detector, policy = 'largest' } = options;
  const template = alignmentTemplate(options.template ?? 'arcface');
  const { data, height, width } = image;
  const pixels = tf.tensor3d(data, [height, width, 3], 'int32');
  try {
    const all = await detector.detect(pixels);
    const faces = selectFaces(all, policy, [height, width]);
    const crops = faces.map((face) => {
      const crop = tf.tidy(() =>
        tf.clipByValue(
          tf.round(alignFaces(tf.cast(pixels, 'float32'), face.landmarks, template)),
          0,
          255,
        ),
      );
      const bytes = Uint8Array.from(crop.dataSync());
      crop.dispose();
      return { data: bytes, height: template.height, width: template.width };
    });
    return { crops, faces, found: all.length };
  } finally {
    pixels.dispose();
  }
}

/**
 * `dataset` with every picture replaced by its aligned face: the detector's face chosen by
 * `policy` ('largest', 'most-central', or 'skip' pictures with several), warped to the template.
 * A picture without one rejects with a {@link NoFaceError} naming it.
 */
export function alignedDataset(dataset: FaceDataset, options: AlignOptions): FaceDataset {
  const policy = options.policy ?? 'largest';
  checkOneOf('alignedDataset', 'options.policy', policy, DATASET_POLICIES);
  if (!options.detector || typeof options.detector.detect !== 'function')
    throw new InvalidArgumentError(
      'alignedDataset',
      'options.detector',
      options.detector,
      'a FaceDetector',
    );
  return withLoad(dataset, async (i) => {
    const { crops, found } = await alignImage(await dataset.load(i), { ...options, policy });
    if (crops.length === 0)
      throw new NoFaceError(
        dataset.source(i),
        found === 0 ? 'no face found' : `${found} faces found (policy 'skip')`,
      );
    return crops[0];
  });
}
