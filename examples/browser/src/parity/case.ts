import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@face/core';
import { SyntheticFaces } from '@face/data';
import { iresnet } from '@face/layers';
import { ArcFace } from '@face/losses';

/**
 * The parity case: one IResNet (a block per stage, width 1/8, 32 px, 16-d) + ArcFace (s 64,
 * m 0.5) over 5 classes, a batch of 10 synthetic faces. Small enough for SwiftShader's WebGL,
 * large enough to run every op of training: convolutions (3x3 and 1x1, strides 1 and 2),
 * BatchNorm with batch statistics, PReLU, the FC head, the margin and the cross-entropy.
 */
export const PARITY_CASE = {
  size: 32,
  width: 0.125,
  embeddingSize: 16,
  classes: 5,
  imagesPerClass: 2,
  seed: 20240917,
} as const;

export interface ParityCase {
  backbone: tfl.LayersModel;
  head: ArcFace;
  /** float32 [n, size, size, 3], pixels scaled to [-1, 1]. */
  images: tf.Tensor4D;
  labels: number[];
}

/**
 * Values for one weight from its own generator (seed and name), so that every platform builds
 * the same numbers without tfjs's random ops: He-uniform kernels (bound sqrt(6 / fan_in)),
 * norm scales in [0.5, 1.5], running variances in [0.5, 2], PReLU slopes in [0.1, 0.4], other
 * vectors (shifts, biases, running means) in [-0.2, 0.2].
 */
export function deterministicValues(name: string, shape: number[], seed: number): Float32Array {
  let h = seed >>> 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  const rng = new Rng(h);
  const size = shape.reduce((a, b) => a * b, 1);
  let lo = -0.2;
  let hi = 0.2;
  if (shape.length >= 2 && !name.endsWith('alpha')) {
    const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    hi = Math.sqrt(6 / fanIn);
    lo = -hi;
  } else if (name.endsWith('running_var')) [lo, hi] = [0.5, 2];
  else if (name.endsWith('gamma')) [lo, hi] = [0.5, 1.5];
  else if (name.endsWith('alpha')) [lo, hi] = [0.1, 0.4];
  return Float32Array.from({ length: size }, () => rng.uniform(lo, hi));
}

/** Builds the parity case on the current backend. The caller disposes it (`disposeCase`). */
export function buildParityCase(): ParityCase {
  const c = PARITY_CASE;
  const backbone = iresnet({
    stages: [1, 1, 1, 1],
    width: c.width,
    inputSize: c.size,
    embeddingSize: c.embeddingSize,
    name: 'parity',
  });
  const values = backbone.weights.map((w) =>
    tf.tensor(
      deterministicValues(w.originalName, w.shape as number[], c.seed),
      w.shape as number[],
    ),
  );
  backbone.setWeights(values);
  tf.dispose(values);
  const head = new ArcFace({
    embeddingDim: c.embeddingSize,
    numClasses: c.classes,
    name: 'parity-head',
  });
  const [w] = head.getWeights();
  const headValue = tf.tensor(deterministicValues('head/weight', w.shape, c.seed), w.shape);
  head.setWeights([headValue]);
  tf.dispose([w, headValue]);

  const faces = new SyntheticFaces({
    identities: c.classes,
    imagesPerIdentity: c.imagesPerClass,
    size: c.size,
    seed: c.seed,
  });
  const n = faces.size;
  const pixels = new Float32Array(n * c.size * c.size * 3);
  for (let i = 0; i < n; i++) {
    // InsightFace's scaling, (x / 255 - 0.5) / 0.5, done in JS so every backend gets the same bits.
    faces
      .loadSync(i)
      .data.forEach((v, j) => (pixels[i * c.size * c.size * 3 + j] = (v / 255 - 0.5) / 0.5));
  }
  const images = tf.tensor4d(pixels, [n, c.size, c.size, 3]);
  return { backbone, head, images, labels: Array.from(faces.labels) };
}

export function disposeCase(pc: ParityCase): void {
  pc.backbone.dispose();
  pc.head.dispose();
  pc.images.dispose();
}
