import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectFlatMemory } from '@face/test-support';
import { useBackend } from '@face/backends';
import { bothBackends } from './compare';
import { type ModelSpec, buildModel, syntheticBatch, trainStep } from './models/representative';

// Small versions of the representative backbones (see models/representative.ts): what training
// a face model asks of the backend, end to end (forward, backward, Adam), on wasm vs cpu.
const specs: [string, ModelSpec][] = [
  [
    'MobileFaceNet-like (depthwise with multiplier 2, bottlenecks, GDC)',
    {
      kind: 'mobilefacenet',
      input: 16,
      stem: 8,
      stemMultiplier: 2,
      bottlenecks: [
        { t: 2, c: 16, n: 2, s: 2 },
        { t: 2, c: 24, n: 1, s: 2 },
      ],
      last: 32,
      embedding: 16,
      classes: 5,
    },
  ],
  [
    'IResNet-like (residual blocks, 1x1 stride-2 shortcuts, flatten + dense)',
    {
      kind: 'iresnet',
      input: 12,
      stem: 8,
      stages: [
        { c: 8, n: 2 },
        { c: 16, n: 1 },
      ],
      embedding: 16,
      classes: 5,
    },
  ],
  [
    'IResNet-like with global average pooling',
    {
      kind: 'iresnet',
      input: 12,
      stem: 8,
      stages: [{ c: 12, n: 1 }],
      pool: 'average',
      embedding: 8,
      classes: 3,
    },
  ],
];

async function lossCurve(backend: string, spec: ModelSpec, steps: number): Promise<number[]> {
  await tf.setBackend(backend);
  const model = buildModel(spec, 3);
  const { x, labels } = syntheticBatch(spec, 4, 4);
  const optimizer = tf.train.adam(0.01);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push(trainStep(model, optimizer, x, labels));
  tf.dispose([x, labels, ...model.variables]);
  optimizer.dispose();
  return losses;
}

describe('representative models train on wasm as on cpu', () => {
  beforeAll(bothBackends);

  it.each(specs)('%s: same loss curve over 4 Adam steps', async (_, spec) => {
    const active = tf.getBackend();
    const cpu = await lossCurve('cpu', spec, 4);
    const wasm = await lossCurve('wasm', spec, 4);
    await tf.setBackend(active);
    expect(cpu[3]).toBeLessThan(cpu[0]); // it does learn
    expectClose(wasm, cpu, { rtol: 1e-4, atol: 1e-5, what: 'wasm loss curve' });
  });

  it('a training step keeps memory flat on wasm over 50 steps', async () => {
    const active = tf.getBackend();
    await useBackend('wasm');
    const spec = specs[0][1];
    const model = buildModel(spec);
    const { x, labels } = syntheticBatch(spec, 4);
    const optimizer = tf.train.adam(0.01);
    const before = tf.backend().numDataIds();
    await expectFlatMemory(() => trainStep(model, optimizer, x, labels), { steps: 50, warmup: 2 });
    const slots = optimizer.getWeights().then((w) => w.length);
    // Only the optimizer's slots (2 per variable + its step count) were added to the heap.
    expect(tf.backend().numDataIds() - before).toBe(await slots);
    tf.dispose([x, labels, ...model.variables]);
    optimizer.dispose();
    await tf.setBackend(active);
  });
});
