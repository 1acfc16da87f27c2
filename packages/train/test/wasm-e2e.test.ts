import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { useBackend } from '@face/backends';
import { iresnet, mobileFaceNet } from '@face/layers';
import { ArcFace } from '@face/losses';
import { AdamW } from '@face/train';
import { expectClose } from '@face/test-support';

// The wasm training issue's end-to-end check: the real backbones of @face/layers with an ArcFace
// head train on wasm (with @face/backends' gradient kernels) along the same loss curve as on cpu.
// Same initial weights (copied, not re-drawn), same batch, AdamW, training-mode BatchNorm.

const SIZE = 16;
const CLASSES = 4;
const STEPS = 4;
const initial = tf.getBackend();
afterAll(async () => {
  await useBackend(initial as 'cpu' | 'wasm');
});

function batch(): { x: tf.Tensor4D; labels: tf.Tensor1D } {
  const n = 8;
  const values = Float32Array.from(
    { length: n * SIZE * SIZE * 3 },
    (_, i) => Math.sin(i * 0.37) * 0.8,
  );
  return {
    x: tf.tensor4d(values, [n, SIZE, SIZE, 3]),
    labels: tf.tensor1d([0, 1, 2, 3, 0, 1, 2, 3], 'int32'),
  };
}

async function lossCurve(
  backend: 'cpu' | 'wasm',
  backbone: tfl.LayersModel,
  weights: { backbone: Float32Array[]; head: Float32Array },
): Promise<number[]> {
  await useBackend(backend);
  backbone.setWeights(
    backbone.weights.map((w, i) => tf.tensor(weights.backbone[i], w.shape as number[])),
  );
  const head = new ArcFace({ embeddingDim: 16, numClasses: CLASSES, scale: 16, margin: 0.3 });
  head.setWeights([tf.tensor2d(weights.head, [16, CLASSES])]);
  const optimizer = new AdamW([backbone, ...head.trainableVariables], {
    lr: 0.01,
  });
  const { x, labels } = batch();
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const { value, grads } = tf.variableGrads(() =>
      head.loss(backbone.apply(x, { training: true }) as tf.Tensor2D, labels),
    );
    optimizer.applyGradients(grads);
    losses.push((await value.data())[0]);
    tf.dispose([value, ...Object.values(grads)]);
  }
  tf.dispose([x, labels]);
  optimizer.dispose();
  head.dispose();
  return losses;
}

describe('@face/layers backbones with an ArcFace head train on wasm as on cpu', () => {
  const backbones: [string, () => tfl.LayersModel][] = [
    [
      'MobileFaceNet (depthwise, bottlenecks, GDC)',
      () => mobileFaceNet({ inputSize: SIZE, embeddingSize: 16, width: 0.125, seed: 3 }),
    ],
    [
      'IResNet (residual blocks, BatchNorm, PReLU)',
      () =>
        iresnet({
          stages: [1, 1, 1, 1],
          width: 0.0625,
          inputSize: SIZE,
          embeddingSize: 16,
          seed: 3,
        }),
    ],
  ];

  it.each(backbones)('%s: same loss over 4 AdamW steps', async (_, build) => {
    await useBackend('cpu');
    const backbone = build();
    const probe = new ArcFace({ embeddingDim: 16, numClasses: CLASSES, seed: 5 });
    const weights = {
      backbone: backbone.getWeights().map((w) => Float32Array.from(w.dataSync())),
      head: new Float32Array(0),
    };
    const [w] = probe.getWeights();
    weights.head = Float32Array.from(w.dataSync());
    tf.dispose([w]);
    probe.dispose();
    const cpu = await lossCurve('cpu', backbone, weights);
    const wasm = await lossCurve('wasm', backbone, weights);
    backbone.dispose();
    expect(cpu[STEPS - 1]).toBeLessThan(cpu[0]); // it learns
    // Float32 on two backends, compounded over 4 updates: TF.js's own tolerance (1e-3).
    expectClose(wasm, cpu, { rtol: 1e-3, atol: 1e-4, what: 'wasm loss curve' });
  });
});
