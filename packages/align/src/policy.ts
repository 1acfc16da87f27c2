import { checkOneOf } from '@face/core';
import type { DetectedFace } from './detect';

/**
 * Which faces of an image to keep: the 'largest' box, the 'most-central' (box centre nearest the
 * image centre: the subject of a portrait or a dataset crop), 'all', or 'skip' images that hold
 * more than one face. An image with no face yields none under every policy.
 */
export const FACE_POLICIES = ['largest', 'most-central', 'all', 'skip'] as const;
export type FacePolicy = (typeof FACE_POLICIES)[number];

export function selectFaces(
  faces: readonly DetectedFace[],
  policy: FacePolicy,
  imageSize: readonly [number, number],
): DetectedFace[] {
  checkOneOf('selectFaces', 'policy', policy, FACE_POLICIES);
  if (faces.length <= 1 || policy === 'all') return [...faces];
  if (policy === 'skip') return [];
  const [h, w] = imageSize;
  const key =
    policy === 'largest'
      ? (f: DetectedFace) => -f.box.width * f.box.height
      : (f: DetectedFace) =>
          (f.box.x + f.box.width / 2 - w / 2) ** 2 + (f.box.y + f.box.height / 2 - h / 2) ** 2;
  // Ties go to the higher score (faces come by decreasing score and the sort is stable).
  return [[...faces].sort((a, b) => key(a) - key(b))[0]];
}
