// A model whose preprocessing starts with a step of a registered kind (@face/align's
// 'align.similarity' in real use; a kind registered here, so this package needs no @face/align)
// saves it in face-model.json's `preprocessing.before` and loads the same numbers back.
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, ModelFileError, Rng } from '@face/core';
import {
  centerCrop,
  compose,
  normalize,
  registerTransformKind,
  resize,
  type Transform,
} from '@face/data';
import { faceModelSpecFromJson, loadFaceModel, saveFaceModel } from '@face/recipes';
import { tinyBackbone } from './helpers/tiny';

const root = mkdtempSync(join(tmpdir(), 'loose-registered-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A registered kind: `gain` times the picture, plus a shift of whole rows (not a no-op). */
function shiftRows(gain: number): Transform {
  return {
    name: `shiftRows(${gain})`,
    spec: { kind: 'loose.shiftRows', gain },
    apply: (x) =>
      tf.tidy(() =>
        tf.mul(tf.concat([tf.slice(x, [0, 1]), tf.slice(x, [0, 0], [-1, 1])], 1), gain),
      ),
  };
}
registerTransformKind('loose.shiftRows', (spec, at) => {
  if (!(typeof spec.gain === 'number' && spec.gain > 0))
    throw new InvalidArgumentError('transformFromSpec', `${at}.gain`, spec.gain, 'a number > 0');
  return shiftRows(spec.gain);
});

const NORMALIZATION: { mean: [number, number, number]; std: [number, number, number] } = {
  mean: [0.2, 0.4, 0.6],
  std: [0.3, 0.25, 0.2],
};
const evalTransform = () =>
  compose([compose([shiftRows(0.5)]), resize(20), centerCrop(16), normalize(NORMALIZATION)]);

const values = (t: Transform, x: tf.Tensor4D) =>
  tf.tidy(() =>
    Array.from(
      t
        .apply(
          x,
          [...Array(x.shape[0])].map(() => new Rng(0)),
        )
        .dataSync(),
    ),
  );

describe('registered steps in face-model.json', () => {
  it('are saved first in preprocessing.before and load as the same transform', async () => {
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const dir = join(root, 'shift');
    await saveFaceModel(dir, { backbone, input: evalTransform(), meta: { backbone: 'tiny' } });
    const file = JSON.parse(readFileSync(join(dir, 'face-model.json'), 'utf8'));
    expect(file.preprocessing).toEqual({
      before: [{ kind: 'loose.shiftRows', gain: 0.5 }],
      resize: { size: 20, method: 'bilinear' },
      crop: 16,
      normalization: NORMALIZATION,
    });
    const loaded = await loadFaceModel(dir);
    expect(loaded.spec.input.before).toEqual([{ kind: 'loose.shiftRows', gain: 0.5 }]);
    const rng = new Rng(3);
    const x = tf.tensor4d(
      Array.from({ length: 2 * 24 * 30 * 3 }, () => Math.floor(rng.next() * 256)),
      [2, 24, 30, 3],
    );
    const want = values(evalTransform(), x);
    // The step matters: without it the numbers differ.
    expect(values(compose([resize(20), centerCrop(16), normalize(NORMALIZATION)]), x)).not.toEqual(
      want,
    );
    expect(values(loaded.preprocess, x)).toEqual(want);
    x.dispose();
    loaded.backbone.dispose();
    backbone.dispose();
  });

  it('a file without `before` (all files saved before it) loads unchanged', async () => {
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const dir = join(root, 'plain');
    await saveFaceModel(dir, { backbone, input: compose([centerCrop(16), normalize()]) });
    const file = JSON.parse(readFileSync(join(dir, 'face-model.json'), 'utf8'));
    expect('before' in file.preprocessing).toBe(false);
    const loaded = await loadFaceModel(dir);
    expect('before' in loaded.spec.input).toBe(false);
    loaded.backbone.dispose();
    backbone.dispose();
  });

  it('a registered step after resize is refused before anything is written', async () => {
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const input = compose([resize(20), shiftRows(1), normalize()]);
    await expect(saveFaceModel(join(root, 'late'), { backbone, input })).rejects.toThrow(
      /a loose\.shiftRows step comes where resize, centerCrop or normalize can \(registered steps come first\)/,
    );
    backbone.dispose();
  });

  const v2 = (before: unknown) => ({
    format: 'face-model',
    version: 2,
    backbone: { name: 'x' },
    imageSize: 16,
    embeddingDim: 8,
    preprocessing: { before, resize: null, crop: null, normalization: NORMALIZATION },
    classNames: null,
    head: null,
    headWeights: [],
    headState: null,
    meta: {},
  });

  it.each([
    [{ kind: 'loose.shiftRows' }, /preprocessing\.before: must be an array/],
    [
      [{ kind: 'loose.shiftRows', gain: -1 }],
      /preprocessing\.before\[0\]\.gain: must be a number > 0, got -1/,
    ],
    [
      [
        { kind: 'loose.shiftRows', gain: 1 },
        { kind: 'resize', size: 3, method: 'nearest' },
      ],
      /preprocessing\.before\[1\]\.kind: must be a kind another package registered/,
    ],
    [
      [{ kind: 'align.similarity', landmarks: [] }],
      /preprocessing\.before\[0\]\.kind: .*import the package that registers 'align\.similarity' first/,
    ],
    [[null], /preprocessing\.before\[0\]\.kind: must be a kind another package registered/],
  ])('a damaged `before` %j is a ModelFileError naming the entry', (before, message) => {
    expect(() => faceModelSpecFromJson(v2(before), 'm/face-model.json')).toThrow(ModelFileError);
    expect(() => faceModelSpecFromJson(v2(before), 'm/face-model.json')).toThrow(message);
  });
});
