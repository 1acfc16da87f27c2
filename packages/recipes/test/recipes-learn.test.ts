import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  classificationRecipe,
  evaluateClassification,
  evaluateVerification,
  jointRecipe,
  metricRecipe,
  sequentialRecipe,
} from '@face/recipes';
import type { FitResult } from '@face/train';
import { tinyBackbone, tinyData } from './helpers/tiny';

// 30 drawn people at 16 px: 20 to train on (6 images each, 2 held out), 10 never seen. Every
// piece is seeded, so the numbers are the same at each run (on cpu); the margins below are far
// from them (measured: accuracy 0.05 -> 0.3 with 20 classes, AUC 0.76 -> 0.82-0.85).
const data = tinyData({ identities: 30, unseen: 10, images: 8, pairs: 150 });
const adam = { kind: 'adamw' as const, lr: 3e-3 };

function expectLossFalls(result: FitResult) {
  const losses = result.history.map((h) => h.loss);
  expect(result.stopReason).toBeNull();
  expect(losses.at(-1)!).toBeLessThan(0.85 * losses[0]);
}

describe('each recipe lowers its loss and beats the untrained network', () => {
  it('classification (linear head, label smoothing): held-out accuracy', async () => {
    const backbone = tinyBackbone();
    const run = classificationRecipe({
      backbone,
      train: data.train,
      epochs: 6,
      batchSize: 16,
      optimizer: adam,
      validation: { classification: data.heldOut },
    });
    const before = await evaluateClassification(backbone, run.head!, data.heldOut);
    const result = await run.fit();
    expectLossFalls(result);
    const after = result.history.at(-1)!.val_accuracy;
    console.info(`classification: held-out accuracy ${before.accuracy} -> ${after}`);
    expect(after).toBeGreaterThan(before.accuracy + 0.15);
    run.dispose();
    backbone.dispose();
  });

  it('joint (0.7 CE + 0.3 batch-hard triplet in P x K batches): verification AUC on unseen people', async () => {
    const backbone = tinyBackbone();
    const before = await evaluateVerification(backbone, data.pairs);
    const run = jointRecipe({
      backbone,
      train: data.train,
      epochs: 6,
      p: 5,
      k: 4,
      optimizer: adam,
      validation: { verification: data.pairs, classification: data.heldOut },
    });
    const result = await run.fit();
    expectLossFalls(result);
    const last = result.history.at(-1)!;
    expect(last.ce).toBeLessThan(result.history[0].ce);
    console.info(`joint: AUC ${before.auc} -> ${last.val_auc}, accuracy ${last.val_accuracy}`);
    expect(last.val_auc).toBeGreaterThan(before.auc + 0.04);
    run.dispose();
    backbone.dispose();
  });

  it('sequential (classification, then ArcFace on the same backbone): AUC and accuracy', async () => {
    const backbone = tinyBackbone();
    const before = await evaluateVerification(backbone, data.pairs);
    const run = sequentialRecipe({
      backbone,
      train: data.train,
      classification: { epochs: 4, batchSize: 16, optimizer: adam },
      margin: { epochs: 3, batchSize: 16, headOptions: { scale: 16, margin: 0.2 } },
      validation: { verification: data.pairs, classification: data.heldOut },
    });
    expect(run.phase2.head?.kind).toBe('ArcFace');
    const { phase1, phase2 } = await run.fit();
    expectLossFalls(phase1!);
    expectLossFalls(phase2!);
    const auc1 = phase1!.history.at(-1)!.val_auc;
    const auc2 = phase2!.history.at(-1)!.val_auc;
    console.info(
      `sequential: AUC ${before.auc} -> ${auc1} (phase 1) -> ${auc2} (phase 2), ` +
        `accuracy ${phase2!.history.at(-1)!.val_accuracy}`,
    );
    expect(auc2).toBeGreaterThan(before.auc + 0.04);
    run.dispose();
    backbone.dispose();
  });

  it('metric-only (triplet + center loss): AUC; the centers move', async () => {
    const backbone = tinyBackbone();
    const before = await evaluateVerification(backbone, data.pairs);
    const run = metricRecipe({
      backbone,
      train: data.train,
      epochs: 6,
      p: 5,
      k: 4,
      optimizer: adam,
      center: { lambda: 0.01 },
      validation: { verification: data.pairs },
    });
    const centers = run.trainer.stateVariables.find((v) => v.name === 'center/centers')!;
    expect(centers).toBeDefined();
    const result = await run.fit();
    expectLossFalls(result);
    const last = result.history.at(-1)!;
    console.info(`metric: AUC ${before.auc} -> ${last.val_auc}`);
    expect(last.val_auc).toBeGreaterThan(before.auc + 0.04);
    expect(tf.any(tf.notEqual(centers.variable, 0)).dataSync()[0]).toBe(1);
    run.dispose();
    backbone.dispose();
  });
});
