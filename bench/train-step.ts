/**
 * Images/s of one full training step (forward, backward, Adam) at batch 32 for MobileFaceNet
 * and IResNet-18 at 64x64 and 112x112: TF.js `cpu`, TF.js `wasm` with @face/backends (1 thread,
 * and 2 with --wasm-threads 2) and PyTorch CPU with 2 threads on the same architecture
 * (bench/train_step.py), printed as a markdown table with ratios; then, for wasm, GFLOP/s per
 * kernel (from tf.profile of one step) next to the machine's practical peak, a large matmul.
 *
 * The backbones are the stand-ins of packages/backends/test/models/representative.ts (this
 * package cannot depend on @face/layers); bench/layers-train-step.mjs and layers_train_step.py
 * time @face/layers' own backbones. Each measurement runs in its own process.
 *
 *   node bench/run-ts.mjs bench/train-step.ts [--models mobilefacenet,iresnet18] [--sizes 64,112]
 *     [--backends cpu,wasm,torch] [--batch 32] [--cpu-batch 4] [--cpu-sizes 64] [--steps 3]
 *     [--wasm-threads 1] [--profile] [--child-timeout-s 900] [--variant missing-only]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { registerGradients, useBackend, wasmKernelNames } from '@face/backends';
import {
  IRESNET18,
  MOBILEFACENET,
  buildModel,
  syntheticBatch,
  trainStep,
} from '../packages/backends/test/models/representative';

const args = new Map<string, string>();
process.argv.slice(2).forEach((a, i, all) => {
  if (a.startsWith('--'))
    args.set(a.slice(2), all[i + 1]?.startsWith('--') ? 'true' : (all[i + 1] ?? 'true'));
});
const list = (k: string, d: string) => (args.get(k) ?? d).split(',');
const num = (k: string, d: number) => Number(args.get(k) ?? d);
const CLASSES = 1000;
declare const __BENCH_SOURCE_DIR__: string; // set by bench/run-ts.mjs
const PYTHON_SCRIPT = `${__BENCH_SOURCE_DIR__}/train_step.py`;

interface Measured {
  msPerStep: number;
  imagesPerS: number;
  batch: number;
  kernels?: KernelRow[];
  peak?: number;
}
interface KernelRow {
  kernel: string;
  ms: number;
  gflop: number;
  calls: number;
}

/** FLOPs of the conv-family and matmul kernels from the shapes tf.profile records. */
function kernelFlops(name: string, inShapes: number[][], outShape: number[]): number {
  const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);
  switch (name) {
    case 'Conv2D':
      return 2 * prod(outShape) * inShapes[1][0] * inShapes[1][1] * inShapes[1][2];
    case 'Conv2DBackpropInput':
      return 2 * prod(inShapes[0]) * inShapes[1][0] * inShapes[1][1] * inShapes[1][2];
    case 'Conv2DBackpropFilter':
      return 2 * prod(inShapes[1]) * outShape[0] * outShape[1] * outShape[2];
    case 'DepthwiseConv2dNative':
      return 2 * prod(outShape) * inShapes[1][0] * inShapes[1][1];
    case 'DepthwiseConv2dNativeBackpropInput':
      return 2 * prod(inShapes[0]) * inShapes[1][0] * inShapes[1][1];
    case 'DepthwiseConv2dNativeBackpropFilter':
      return 2 * prod(inShapes[1]) * outShape[0] * outShape[1];
    case 'BatchMatMul': {
      const m = outShape[outShape.length - 2];
      const k = prod(inShapes[0]) / (prod(outShape) / outShape[outShape.length - 1]);
      return 2 * prod(outShape) * k * (m > 0 ? 1 : 0);
    }
    default:
      return 0;
  }
}

/** Practical peak: a large XNNPACK matmul, its weights already packed (min of 5). */
function matmulPeak(): number {
  const a = tf.randomNormal([1024, 1024]);
  const b = tf.randomNormal([1024, 1024]);
  let best = Infinity;
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    if (i > 0) best = Math.min(best, performance.now() - t);
    c.dispose();
  }
  tf.dispose([a, b]);
  return (2 * 1024 ** 3) / best / 1e6;
}

async function child(
  model: string,
  size: number,
  backend: 'cpu' | 'wasm',
  batch: number,
  steps: number,
  threads: number,
  profile: boolean,
): Promise<Measured> {
  if (args.get('variant') === 'missing-only' && backend === 'wasm') {
    // For comparison: tfjs-core's gradients and only the four kernels wasm lacks, none of
    // the faster replacements (their originals are put back).
    await import('@tensorflow/tfjs-backend-wasm');
    const { replaced } = wasmKernelNames();
    const originals = replaced.map((k) => tf.getKernel(k, 'wasm'));
    await useBackend('wasm', { threads, gradients: false });
    registerGradients({ fast: false });
    replaced.forEach((k, i) => {
      tf.unregisterKernel(k, 'wasm');
      tf.registerKernel(originals[i]);
    });
  } else await useBackend(backend, { threads });
  const spec = model === 'mobilefacenet' ? MOBILEFACENET(size, CLASSES) : IRESNET18(size, CLASSES);
  const m = buildModel(spec);
  const { x, labels } = syntheticBatch(spec, batch);
  const optimizer = tf.train.adam(1e-3);
  // Warm-up (XNNPACK operators, optimizer slots, JIT); the cpu backend's steps take minutes,
  // and its first step is not measurably slower.
  if (backend !== 'cpu') trainStep(m, optimizer, x, labels);
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    trainStep(m, optimizer, x, labels);
    times.push(performance.now() - t);
  }
  // The fastest step: the machine is shared, and interference only ever adds time.
  const msPerStep = Math.min(...times);
  const out: Measured = { msPerStep, imagesPerS: (batch * 1000) / msPerStep, batch };
  if (profile && backend === 'wasm') {
    const info = await tf.profile(() => {
      trainStep(m, optimizer, x, labels);
    });
    const rows = new Map<string, KernelRow>();
    for (const k of info.kernels) {
      const r = rows.get(k.name) ?? { kernel: k.name, ms: 0, gflop: 0, calls: 0 };
      r.ms += k.kernelTimeMs as number;
      r.gflop +=
        kernelFlops(k.name, k.inputShapes as number[][], k.outputShapes[0] as number[]) / 1e9;
      r.calls++;
      rows.set(k.name, r);
    }
    out.kernels = [...rows.values()].sort((a, b) => b.ms - a.ms);
    out.peak = matmulPeak();
  }
  return out;
}

function torch(model: string, size: number, batch: number, steps: number): Measured {
  const line = execFileSync(
    '/usr/bin/python3',
    [
      PYTHON_SCRIPT,
      '--model',
      model,
      '--size',
      String(size),
      '--batch',
      String(batch),
      '--steps',
      String(steps),
      '--threads',
      '2',
      '--classes',
      String(CLASSES),
    ],
    { encoding: 'utf8' },
  );
  const r = JSON.parse(line.trim().split('\n').pop()!) as {
    ms_per_step: number;
    images_per_s: number;
  };
  return { msPerStep: r.ms_per_step, imagesPerS: r.images_per_s, batch };
}

async function main() {
  if (args.has('child')) {
    const [model, size, backend, batch, steps, threads] = args.get('child')!.split(':');
    const r = await child(
      model,
      Number(size),
      backend as 'cpu' | 'wasm',
      Number(batch),
      Number(steps),
      Number(threads),
      args.has('profile'),
    );
    console.log(`RESULT ${JSON.stringify(r)}`);
    return;
  }
  const models = list('models', 'mobilefacenet,iresnet18');
  const sizes = list('sizes', '64,112').map(Number);
  const backends = list('backends', 'cpu,wasm,torch');
  const batch = num('batch', 32);
  const steps = num('steps', 3);
  const threads = num('wasm-threads', 1);
  const self = fileURLToPath(import.meta.url);
  const run = (
    model: string,
    size: number,
    backend: string,
    b: number,
    s: number,
    t: number,
  ): Measured => {
    const flags = [
      ...(args.has('variant') ? ['--variant', args.get('variant')!] : []),
      `--child`,
      `${model}:${size}:${backend}:${b}:${s}:${t}`,
      ...(args.has('profile') ? ['--profile'] : []),
    ];
    const out = execFileSync(process.execPath, [self, ...flags], {
      // Out of wasm memory with threads can hang (a pthread traps, the pool waits forever).
      timeout: num('child-timeout-s', 900) * 1000,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return JSON.parse(
      out
        .split('\n')
        .find((l) => l.startsWith('RESULT '))!
        .slice(7),
    ) as Measured;
  };
  const load = () =>
    execFileSync('uptime', { encoding: 'utf8' })
      .trim()
      .replace(/.*load average: /, '');
  console.log(`# train-step, ${new Date().toISOString().slice(0, 10)}, load before: ${load()}`);
  if (backends.includes('torch')) {
    const peak = (t: number) => {
      const out = execFileSync(
        '/usr/bin/python3',
        [PYTHON_SCRIPT, '--peak', '--threads', String(t)],
        { encoding: 'utf8' },
      );
      return (JSON.parse(out.trim()) as { matmul_gflops: number }).matmul_gflops;
    };
    console.log(
      `PyTorch practical peak (2048^3 matmul): ${peak(1)} GFLOP/s on 1 thread, ${peak(2)} on 2`,
    );
  }
  console.log('| model | input | backend | batch | ms/step | images/s | vs PyTorch 2 threads |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const profiles: [string, Measured][] = [];
  for (const model of models) {
    for (const size of sizes) {
      const print = (name: string, r: Measured, ref?: Measured) => {
        const ratio = ref ? `${(r.imagesPerS / ref.imagesPerS).toFixed(2)}x` : '';
        console.log(
          `| ${model} | ${size}x${size} | ${name} | ${r.batch} | ${r.msPerStep.toFixed(0)} | ${r.imagesPerS.toFixed(2)} | ${ratio} |`,
        );
      };
      // wasm memory is 32-bit (4 GiB): at 112x112 a batch of 32 may not fit, so halve it
      // until it does, and also run PyTorch at that batch.
      let wasm: Measured | undefined;
      let wasmBatch = batch;
      if (backends.includes('wasm')) {
        for (; wasmBatch >= 1; wasmBatch = Math.floor(wasmBatch / 2)) {
          try {
            wasm = run(model, size, 'wasm', wasmBatch, steps, threads);
            break;
          } catch {
            console.error(
              `wasm: ${model} ${size}x${size} batch ${wasmBatch} does not fit in memory`,
            );
          }
        }
      }
      let ref: Measured | undefined;
      if (backends.includes('torch')) {
        ref = torch(model, size, wasm ? wasmBatch : batch, steps);
        print('PyTorch 1.13 CPU, 2 threads', ref, ref);
        if (wasm && wasmBatch !== batch) {
          print('PyTorch 1.13 CPU, 2 threads', torch(model, size, batch, steps), ref);
        }
      }
      if (wasm) {
        print(
          args.get('variant') === 'missing-only'
            ? `tfjs wasm, only the 4 missing kernels, ${threads} thread(s)`
            : `tfjs wasm + @face/backends, ${threads} thread(s)`,
          wasm,
          ref,
        );
        if (wasm.kernels) profiles.push([`${model} ${size}x${size}, batch ${wasmBatch}`, wasm]);
      }
      if (backends.includes('cpu') && list('cpu-sizes', '64').map(Number).includes(size)) {
        // The cpu backend scales linearly in the batch: a smaller one keeps this bench short.
        print('tfjs cpu (one step)', run(model, size, 'cpu', num('cpu-batch', 4), 1, 1), ref);
      }
    }
  }
  for (const [label, r] of profiles) {
    console.log(
      `\n## wasm kernels, ${label} (tf.profile of one step; practical peak: 1024^3 matmul ${r.peak!.toFixed(1)} GFLOP/s)`,
    );
    console.log('| kernel | calls | ms | GFLOP | GFLOP/s | % of peak |');
    console.log('| --- | --- | --- | --- | --- | --- |');
    const total = r.kernels!.reduce((a, k) => a + k.ms, 0);
    for (const k of r.kernels!.slice(0, 14)) {
      const rate = k.gflop > 0 ? k.gflop / (k.ms / 1000) : 0;
      const share = `${k.ms.toFixed(0)} (${((100 * k.ms) / total).toFixed(0)}%)`;
      console.log(
        `| ${k.kernel} | ${k.calls} | ${share} | ${k.gflop ? k.gflop.toFixed(2) : ''} | ${rate ? rate.toFixed(1) : ''} | ${rate ? `${((100 * rate) / r.peak!).toFixed(0)}%` : ''} |`,
      );
    }
  }
  console.log(`\nload after: ${load()}`);
}

await main();
