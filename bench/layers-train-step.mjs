// One training step (forward, backward, AdamW) of @face/layers' backbones with an ArcFace head on
// the wasm backend of @face/backends: ms per step, images/s and the peak of tensor memory in the
// step (tf.profile's peakBytes). Build first (`pnpm build`). Usage:
//   node bench/layers-train-step.mjs [--model mobilefacenet|iresnet18] [--size 112] [--batch 16]
//     [--steps 3] [--threads N] [--profile]
// --threads: wasm threads (default: @face/backends' default, one per core); --profile adds the
// milliseconds per kernel name of one step (tf.profile's kernelTimeMs, summed) to the output.
// PyTorch side: /usr/bin/python3 bench/layers_train_step.py with the same flags.
import { parseArgs } from 'node:util';
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../packages/backends/dist/index.js';
import { iresnet, mobileFaceNet } from '../packages/layers/dist/index.js';
import { ArcFace } from '../packages/losses/dist/index.js';

const { values: o } = parseArgs({
  options: {
    model: { type: 'string', default: 'mobilefacenet' },
    size: { type: 'string', default: '112' },
    batch: { type: 'string', default: '16' },
    steps: { type: 'string', default: '3' },
    backend: { type: 'string', default: 'wasm' },
    threads: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const size = Number(o.size);
const batch = Number(o.batch);
const selection = await useBackend(o.backend, {
  threads: o.threads == null ? undefined : Number(o.threads),
});
const backbone =
  o.model === 'iresnet18'
    ? iresnet({ depth: 18, inputSize: size, seed: 1 })
    : mobileFaceNet({ inputSize: size, seed: 1 });
const dim = backbone.outputs[0].shape[1];
const head = new ArcFace({ embeddingDim: dim, numClasses: 1000, seed: 2 });
const optimizer = tf.train.adam(1e-3);
const x = tf.randomUniform([batch, size, size, 3], -1, 1, 'float32', 3);
const labels = tf.tensor1d(
  Array.from({ length: batch }, (_, i) => i % 1000),
  'int32',
);
const variables = [...backbone.trainableWeights.map((w) => w.read()), ...head.trainableVariables];
const step = () =>
  tf.tidy(() => {
    const cost = optimizer.minimize(
      () => head.loss(backbone.apply(x, { training: true }), labels),
      true,
      variables,
    );
    return cost.dataSync()[0];
  });
const before = loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
const profile = await tf.profile(() => step()); // warm-up, and the memory peak
/** One more step under tf.profile: its kernels' time, summed per kernel name, largest first. */
async function kernelMs() {
  const info = await tf.profile(() => step());
  const by = {};
  for (const k of info.kernels) by[k.name] = (by[k.name] ?? 0) + Number(k.kernelTimeMs);
  const rows = Object.entries(by).sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(rows.map(([name, ms]) => [name, Math.round(ms)]));
}
const steps = Number(o.steps);
const t0 = performance.now();
for (let i = 0; i < steps; i++) step();
const ms = (performance.now() - t0) / steps;
console.log(
  JSON.stringify({
    model: o.model,
    size,
    batch,
    backend: o.backend,
    threads: selection.threads,
    msPerStep: Math.round(ms),
    imagesPerS: +((batch * 1000) / ms).toFixed(1),
    peakMB: Math.round(profile.peakBytes / 2 ** 20),
    kernels: profile.kernels.length,
    ...(o.profile ? { kernelMs: await kernelMs() } : {}),
    cpu: cpus()[0].model,
    load: `${before} -> ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  }),
);
