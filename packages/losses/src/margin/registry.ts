import { checkOneOf, InvalidArgumentError } from '@face/core';
import { ArcFace, type ArcFaceConfig } from './arcface';
import type { MarginHead } from './base';
import { CombinedMargin, type CombinedMarginConfig } from './combined-margin';
import { CosFace, type CosFaceConfig } from './cosface';
import { NormalizedSoftmax, type NormalizedSoftmaxConfig } from './normalized-softmax';
import { SphereFace, type SphereFaceConfig } from './sphereface';

export type MarginHeadClassName =
  'NormalizedSoftmax' | 'CosFace' | 'ArcFace' | 'CombinedMargin' | 'SphereFace';

/** A head's class and constructor options: JSON, for checkpoints and experiment configs. */
export type SerializedMarginHead =
  | { className: 'NormalizedSoftmax'; config: NormalizedSoftmaxConfig }
  | { className: 'CosFace'; config: CosFaceConfig }
  | { className: 'ArcFace'; config: ArcFaceConfig }
  | { className: 'CombinedMargin'; config: CombinedMarginConfig }
  | { className: 'SphereFace'; config: SphereFaceConfig };

const NAMES: readonly MarginHeadClassName[] = [
  'NormalizedSoftmax',
  'CosFace',
  'ArcFace',
  'CombinedMargin',
  'SphereFace',
];

/** `{ className, config }` of a head (weights and state travel separately). */
export function serializeMarginHead(head: MarginHead): SerializedMarginHead {
  return { className: head.className, config: head.getConfig() } as SerializedMarginHead;
}

/** Builds a head from {@link serializeMarginHead}'s output (fresh weights: then setWeights). */
export function marginHeadFromConfig(serialized: SerializedMarginHead): MarginHead {
  const fn = 'marginHeadFromConfig';
  if (serialized === null || typeof serialized !== 'object') {
    throw new InvalidArgumentError(fn, 'serialized', serialized, '{ className, config }');
  }
  const className = checkOneOf(fn, 'serialized.className', serialized.className, NAMES);
  switch (className) {
    case 'NormalizedSoftmax':
      return new NormalizedSoftmax(serialized.config as NormalizedSoftmaxConfig);
    case 'CosFace':
      return new CosFace(serialized.config as CosFaceConfig);
    case 'ArcFace':
      return new ArcFace(serialized.config as ArcFaceConfig);
    case 'CombinedMargin':
      return new CombinedMargin(serialized.config as CombinedMarginConfig);
    case 'SphereFace':
      return new SphereFace(serialized.config as SphereFaceConfig);
  }
}
