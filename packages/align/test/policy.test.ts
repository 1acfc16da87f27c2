import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import {
  FaceDetector,
  fivePoints,
  selectFaces,
  type DetectedFace,
  type FaceApiModule,
} from '@face/align';

const face = (x: number, y: number, size: number, score: number): DetectedFace => ({
  box: { x, y, width: size, height: size },
  score,
  landmarks: [],
  landmarks68: [],
});

describe('selectFaces', () => {
  // In a 200 x 300 (h x w) picture: a big face in a corner, a small one in the middle.
  const faces = [face(0, 0, 120, 0.9), face(130, 80, 40, 0.8)];
  it('keeps the largest, the most central, all, or none of several', () => {
    expect(selectFaces(faces, 'largest', [200, 300])).toEqual([faces[0]]);
    expect(selectFaces(faces, 'most-central', [200, 300])).toEqual([faces[1]]);
    expect(selectFaces(faces, 'all', [200, 300])).toEqual(faces);
    expect(selectFaces(faces, 'skip', [200, 300])).toEqual([]);
  });
  it('a single face is kept under every policy, none yields none', () => {
    for (const p of ['largest', 'most-central', 'all', 'skip'] as const) {
      expect(selectFaces([faces[1]], p, [200, 300])).toEqual([faces[1]]);
      expect(selectFaces([], p, [200, 300])).toEqual([]);
    }
  });
  it('refuses an unknown policy', () => {
    expect(() => selectFaces(faces, 'first' as never, [1, 1])).toThrow(/policy/);
  });
});

describe('fivePoints', () => {
  it('eye centres, nose tip and mouth corners of the 68-point markup', () => {
    const pts = Array.from({ length: 68 }, (_, i) => [i, 2 * i] as [number, number]);
    expect(fivePoints(pts)).toEqual([
      [38.5, 77],
      [44.5, 89],
      [30, 60],
      [48, 96],
      [54, 108],
    ]);
    expect(() => fivePoints(pts.slice(1))).toThrow(InvalidArgumentError);
  });
});

describe('FaceDetector.create', () => {
  it('refuses a face-api on another TF.js, saying which build to use', () => {
    const foreign = {
      tf: { Tensor: class {} },
      FaceLandmark68Net: class {},
    } as unknown as FaceApiModule;
    expect(() => FaceDetector.create(foreign, { detector: {}, landmarks: {} })).toThrow(
      /face-api.node-wasm.js/,
    );
  });
});
