// Forward throughput of the @face/layers backbones on TF.js backends (img/s, inference mode).
// Compare with `python3 bench/backbones.py` (the same architectures in PyTorch, CPU, 2 threads).
// Needs `pnpm build` first. Usage:
//   node bench/backbones.mjs [--backends cpu,wasm] [--models mobilefacenet,iresnet18,...] [--runs 2]
// The cpu backend runs MobileFaceNet and the IResNets at a small batch (its throughput does not
// depend on the batch, and batch 32 of IResNet-50 takes it over twenty minutes); every other
// cell is batch 32. About 4 minutes in all on 2 idle cores.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { iresnet, iresnetTiny, mobileFaceNet } from '../packages/layers/dist/index.js';
import { loadavg, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce(
      (pairs, a, i, all) => (a.startsWith('--') ? [...pairs, [a.slice(2), all[i + 1]]] : pairs),
      [],
    ),
);
const backends = (args.backends ?? 'cpu,wasm').split(',');
const runs = Number(args.runs ?? 1);
const MODELS = {
  iresnet_tiny64: { make: () => iresnetTiny(), size: 64, cpuBatch: 32 },
  mobilefacenet112: { make: () => mobileFaceNet(), size: 112, cpuBatch: 8 },
  iresnet18_112: { make: () => iresnet({ depth: 18 }), size: 112, cpuBatch: 2 },
  iresnet50_112: { make: () => iresnet({ depth: 50 }), size: 112, cpuBatch: 1 },
};
const models = (args.models ?? Object.keys(MODELS).join(',')).split(',');

async function measure(name, backend) {
  const spec = MODELS[name];
  const batch = backend === 'cpu' ? spec.cpuBatch : 32;
  const model = spec.make();
  const forward = async (input) => {
    const y = model.predict(input);
    await y.data();
    y.dispose();
  };
  const one = tf.randomNormal([1, spec.size, spec.size, 3]);
  // Warm-up (kernel setup, weight upload); the cpu backend has none worth a slow extra pass.
  if (backend !== 'cpu') await forward(one);
  const x = tf.randomNormal([batch, spec.size, spec.size, 3]);
  const start = performance.now();
  for (let i = 0; i < runs; i++) await forward(x);
  const seconds = (performance.now() - start) / 1000;
  tf.dispose([one, x]);
  model.dispose();
  return { model: name, backend, batch, runs, imgPerSec: (batch * runs) / seconds };
}

console.log(
  `# ${new Date().toISOString()} node ${process.version}, ${cpus().length} CPUs (${cpus()[0].model}), load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const backend of backends) {
  if (!(await tf.setBackend(backend))) {
    console.log(JSON.stringify({ backend, error: 'backend failed to initialize' }));
    continue;
  }
  await tf.ready();
  for (const name of models) {
    try {
      console.log(JSON.stringify(await measure(name, backend)));
    } catch (err) {
      console.log(
        JSON.stringify({ model: name, backend, error: String(err.message ?? err).slice(0, 200) }),
      );
    }
  }
}
console.log(
  `# load after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
