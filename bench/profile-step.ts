import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { registerGradients, registerWasmKernels } from '@face/backends';
import {
  buildModel,
  MOBILEFACENET,
  IRESNET18,
  syntheticBatch,
  trainStep,
} from '../packages/backends/test/models/representative';

registerGradients();
if (process.argv[3] !== 'stock') registerWasmKernels();
await tf.setBackend('wasm');
const kind = process.argv[2] ?? 'mobile';
const spec = kind === 'mobile' ? MOBILEFACENET(64, 1000) : IRESNET18(64, 1000);
const model = buildModel(spec);
const { x, labels } = syntheticBatch(spec, 32);
const opt = tf.train.adam(1e-3);
trainStep(model, opt, x, labels);
const t = performance.now();
trainStep(model, opt, x, labels);
const stepMs = performance.now() - t;
console.log(
  kind,
  'step ms',
  stepMs.toFixed(0),
  'img/s',
  (32000 / stepMs).toFixed(1),
  'MMAC/img',
  (model.macs / 1e6).toFixed(1),
);
const prof = await tf.profile(() => {
  trainStep(model, opt, x, labels);
});
const by = new Map<string, { ms: number; n: number }>();
for (const k of prof.kernels) {
  const e = by.get(k.name) ?? { ms: 0, n: 0 };
  e.ms += k.kernelTimeMs as number;
  e.n++;
  by.set(k.name, e);
}
const total = [...by.values()].reduce((a, b) => a + b.ms, 0);
console.log('kernel total ms', total.toFixed(0));
for (const [name, e] of [...by].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
  console.log(name.padEnd(40), e.ms.toFixed(1).padStart(8), String(e.n).padStart(5));
const detail = new Map<string, { ms: number; n: number }>();
for (const k of prof.kernels) {
  if (
    ![
      'Multiply',
      'Sum',
      'Mean',
      'Select',
      'Greater',
      'RealDiv',
      'Add',
      'Sub',
      'Cast',
      'Square',
      'FusedBatchNorm',
      'Reshape',
      'Identity',
    ].includes(k.name)
  )
    continue;
  const key = `${k.name} ${k.inputShapes.map((s) => `[${s}]`).join(' ')}`;
  const e = detail.get(key) ?? { ms: 0, n: 0 };
  e.ms += k.kernelTimeMs as number;
  e.n++;
  detail.set(key, e);
}
for (const [name, e] of [...detail].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30))
  console.log(name.padEnd(70), e.ms.toFixed(1).padStart(8), String(e.n).padStart(5));
const convs = new Map<string, { ms: number; n: number; flop: number }>();
for (const k of prof.kernels) {
  if (!/Conv/.test(k.name)) continue;
  const sh = k.inputShapes as number[][];
  const out = k.outputShapes[0] as number[];
  let flop = 0;
  if (k.name === 'Conv2D')
    flop = 2 * out[0] * out[1] * out[2] * out[3] * sh[1][0] * sh[1][1] * sh[1][2];
  else if (k.name === 'Conv2DBackpropInput')
    flop = 2 * sh[0][0] * sh[0][1] * sh[0][2] * sh[0][3] * sh[1][0] * sh[1][1] * sh[1][2];
  else if (k.name === 'Conv2DBackpropFilter')
    flop = 2 * sh[1][0] * sh[1][1] * sh[1][2] * sh[1][3] * out[0] * out[1] * out[2];
  else if (k.name === 'DepthwiseConv2dNative')
    flop = 2 * out[0] * out[1] * out[2] * out[3] * sh[1][0] * sh[1][1];
  else if (k.name === 'DepthwiseConv2dNativeBackpropInput')
    flop = 2 * sh[0][0] * sh[0][1] * sh[0][2] * sh[0][3] * sh[1][0] * sh[1][1];
  else if (k.name === 'DepthwiseConv2dNativeBackpropFilter')
    flop = 2 * sh[1][0] * sh[1][1] * sh[1][2] * sh[1][3] * out[0] * out[1];
  const key = `${k.name} ${sh.map((s) => `[${s}]`).join(' ')}`;
  const e = convs.get(key) ?? { ms: 0, n: 0, flop: 0 };
  e.ms += k.kernelTimeMs as number;
  e.n++;
  e.flop += flop;
  convs.set(key, e);
}
for (const [name, e] of [...convs].sort((a, b) => b[1].ms - a[1].ms).slice(0, 30))
  console.log(
    name.padEnd(75),
    e.ms.toFixed(1).padStart(8),
    String(e.n).padStart(4),
    (e.flop / e.ms / 1e6).toFixed(1).padStart(6),
    'GFLOP/s',
  );
