import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FaceError, InvalidArgumentError } from '@face/core';
import { SyntheticFaces, subset } from '@face/data';
import { expectFlatMemory } from '@face/test-support';
import {
  classificationRecipe,
  classifierHead,
  jointRecipe,
  metricRecipe,
  sequentialRecipe,
} from '@face/recipes';
import { CheckpointMismatchError, type Callback } from '@face/train';
import { tinyBackbone, tinyData } from './helpers/tiny';

const root = mkdtempSync(join(tmpdir(), 'face-recipe-guard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const data = tinyData({ identities: 8, unseen: 3, images: 6, pairs: 20 });

/** Every file under `dir` with its bytes, to prove nothing was touched. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[p] = readFileSync(p).toString('base64');
    }
  };
  walk(dir);
  return out;
}

describe('recipe safeguards', () => {
  it('the NaN guard stops at an injected NaN before the update; no model is saved', async () => {
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const out = join(root, 'nan');
    let kernel: tf.Variable | null = null;
    const inject: Callback = {
      name: 'inject-nan',
      onBatchEnd: (logs) => {
        if (logs.step === 3) kernel!.assign(tf.fill(kernel!.shape, NaN));
      },
    };
    const run = classificationRecipe({
      backbone,
      train: data.train,
      epochs: 3,
      batchSize: 8,
      out,
      callbacks: [inject],
    });
    kernel = run.head!.variables[0].variable;
    const before = backbone.trainableWeights.map((w) => w.read().dataSync().slice());
    const result = await run.fit();
    expect(result.stopReason).toMatchObject({ kind: 'non-finite', step: 4 });
    expect(Number.isNaN(result.stopReason!.value)).toBe(true);
    expect(run.trainer.step).toBe(3);
    // The backbone took 3 finite updates and not the NaN one.
    for (const [i, w] of backbone.trainableWeights.entries()) {
      const now = w.read().dataSync();
      expect(now.every(Number.isFinite)).toBe(true);
      expect(Array.from(now)).not.toEqual(Array.from(before[i]));
    }
    expect(existsSync(join(out, 'model'))).toBe(false);
    run.dispose();
  });

  it('keeps tf.memory() flat over 200 training steps (joint recipe, validation included)', async () => {
    const faces = new SyntheticFaces({ identities: 4, imagesPerIdentity: 4, size: 8, seed: 2 });
    const backbone = tinyBackbone({ size: 8, filters: [2], embeddingDim: 4 });
    const run = jointRecipe({
      backbone,
      train: faces,
      epochs: 1,
      p: 2,
      k: 2,
      validation: {
        verification: {
          dataset: faces,
          pairs: [
            { first: 0, second: 1, same: true, fold: 0 },
            { first: 0, second: 4, same: false, fold: 0 },
          ],
        },
        every: 10,
      },
      prefetch: 0,
    });
    expect(run.loader.batchesPerEpoch).toBe(4);
    let epochs = 0;
    await expectFlatMemory(() => run.trainer.fit(run.source, { epochs: ++epochs }), {
      steps: 50,
      warmup: 2,
      what: 'jointRecipe fit',
    });
    expect(run.trainer.step).toBe(208);
    run.dispose();
    backbone.dispose();
  });

  it('refuses a checkpoint directory of another backbone: clear error, nothing loaded or overwritten', async () => {
    const out = join(root, 'mismatch');
    const first = classificationRecipe({
      backbone: tinyBackbone({ filters: [4], embeddingDim: 8 }),
      train: data.train,
      epochs: 1,
      batchSize: 16,
      out,
    });
    await first.fit();
    first.dispose();
    const files = snapshot(out);
    expect(Object.keys(files).some((f) => f.endsWith('weights.bin'))).toBe(true);

    const other = tinyBackbone({ filters: [8], embeddingDim: 8 });
    const weights = other.getWeights().map((w) => w.dataSync().slice());
    const second = classificationRecipe({
      backbone: other,
      train: data.train,
      epochs: 2,
      batchSize: 16,
      out,
    });
    const mismatch = await second.resume().catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(CheckpointMismatchError);
    expect(String((mismatch as Error).message)).toMatch(
      /tiny\.conv1\.conv\/kernel.*shape \[3,3,3,4\].*\[3,3,3,8\]|shape/,
    );
    await expect(second.fit()).rejects.toBeInstanceOf(CheckpointMismatchError);
    expect(snapshot(out)).toEqual(files);
    other
      .getWeights()
      .forEach((w, i) => expect(Array.from(w.dataSync())).toEqual(Array.from(weights[i])));

    // The same configuration, started fresh instead of resumed: refused before any log is touched.
    const again = classificationRecipe({
      backbone: tinyBackbone({ filters: [4], embeddingDim: 8 }),
      train: data.train,
      epochs: 1,
      batchSize: 16,
      out,
    });
    await expect(again.fit()).rejects.toThrow(/already holds a run.*Nothing was overwritten/);
    expect(snapshot(out)).toEqual(files);
    second.dispose();
    again.dispose();
  });

  it('P x K recipes reject an identity with a single image, naming it', () => {
    const faces = new SyntheticFaces({ identities: 4, imagesPerIdentity: 3, size: 8, seed: 1 });
    // Keep one image of identity 2.
    const keep = Array.from(faces.labels.keys()).filter(
      (i) => faces.labels[i] !== 2 || faces.views[i] === 0,
    );
    const train = subset(faces, keep, { relabel: true });
    const backbone = tinyBackbone({ size: 8, filters: [2], embeddingDim: 4 });
    for (const make of [
      () => jointRecipe({ backbone, train, epochs: 1, p: 2, k: 2 }),
      () => metricRecipe({ backbone, train, epochs: 1, p: 2, k: 2 }),
    ]) {
      const err = (() => {
        try {
          make();
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect(String((err as Error).message)).toMatch(
        /train must be at least 2 images per identity.*got "1 identity with a single image \('synthetic-2'\)"/,
      );
    }
  });

  it('bad arguments name the argument', () => {
    const backbone = tinyBackbone({ filters: [2], embeddingDim: 4 });
    const train = data.train;
    const expectArg = (f: () => unknown, pattern: RegExp) => {
      expect(f).toThrow(InvalidArgumentError);
      expect(f).toThrow(pattern);
    };
    expectArg(
      () => classificationRecipe({ backbone, train: subset(train, []), epochs: 1 }),
      /train/,
    );
    expectArg(() => classificationRecipe({ backbone, train, epochs: 0 }), /epochs/);
    expectArg(() => classificationRecipe({ backbone: {} as never, train, epochs: 1 }), /backbone/);
    expectArg(
      () => classificationRecipe({ backbone, train, epochs: 1, head: 'softmax' as never }),
      /kind/,
    );
    expectArg(
      () =>
        classificationRecipe({
          backbone,
          train,
          epochs: 1,
          head: classifierHead('linear', { embeddingDim: 5, numClasses: 5 }),
        }),
      /head must be a head of 4-d embeddings/,
    );
    expectArg(
      () => classificationRecipe({ backbone, train, epochs: 1, labelSmoothing: 2 }),
      /labelSmoothing/,
    );
    expectArg(
      () =>
        classificationRecipe({
          backbone,
          train,
          epochs: 1,
          optimizer: { kind: 'rmsprop' as never },
        }),
      /optimizer\.kind/,
    );
    expectArg(
      () => classificationRecipe({ backbone, train, epochs: 1, schedule: { kind: 'step' } }),
      /schedule\.stepEpochs/,
    );
    expectArg(() => metricRecipe({ backbone, train, epochs: 1, p: 2, triplet: false }), /triplet/);
    expectArg(
      () =>
        metricRecipe({
          backbone,
          train,
          epochs: 1,
          p: 2,
          validation: { classification: data.heldOut },
        }),
      /validation\.classification/,
    );
    expectArg(
      () => jointRecipe({ backbone, train, epochs: 1, p: 99 }),
      /p must be at most the number of identities/,
    );
    expectArg(
      () =>
        sequentialRecipe({ backbone, train, classification: { epochs: 1 }, margin: { epochs: 0 } }),
      /margin\.epochs/,
    );
    expectArg(
      () => classifierHead('sphereface', { embeddingDim: 4, numClasses: 3, scale: 8 }),
      /options\.scale/,
    );
  });

  it('a run directory is required to resume', async () => {
    const run = classificationRecipe({
      backbone: tinyBackbone({ filters: [2], embeddingDim: 4 }),
      train: data.train,
      epochs: 1,
    });
    await expect(run.resume()).rejects.toBeInstanceOf(FaceError);
    run.dispose();
  });
});
