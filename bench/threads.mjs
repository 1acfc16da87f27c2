// wasm threads in Node: training steps of @face/layers' MobileFaceNet and IResNet-18 (ArcFace
// head, Adam) at 64 and 112 px on wasm with 1 thread and with N threads (default: one per core,
// @face/backends' default), next to PyTorch CPU on 2 threads, each in its own child process.
// Build first (`pnpm build`). Usage:
//   node bench/threads.mjs table [--steps 3] [--threads N] [--only mobilefacenet-64,...] [--profile]
//   node bench/threads.mjs soak [--model mobilefacenet] [--size 64] [--batch 8] [--steps 1000]
// `table` prints one markdown row per model and size; --profile adds, per kernel, its ms in one
// step on 1 and on N threads: a kernel that does not speed up runs serially (our JS around
// XNNPACK, or a kernel tfjs runs on one thread).
// `soak` runs `steps` training steps on N threads in a child and checks that it ends on its own
// (no stray pthread keeps Node alive); a hang hits the time limit (--limit-s, default 3600).
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout, clearTimeout } from 'node:timers';
import { parseArgs } from 'node:util';

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    steps: { type: 'string' },
    threads: { type: 'string', default: String(availableParallelism()) },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    model: { type: 'string', default: 'mobilefacenet' },
    size: { type: 'string', default: '64' },
    batch: { type: 'string', default: '8' },
    'limit-s': { type: 'string', default: '3600' },
  },
});
const STEP_SCRIPT = new URL('./layers-train-step.mjs', import.meta.url).pathname;
const TORCH_SCRIPT = new URL('./layers_train_step.py', import.meta.url).pathname;
/** Batches as in bench/RESULTS.md ("@face/layers backbones"): wasm's 4 GiB heap limits 112 px. */
const CASES = [
  { model: 'mobilefacenet', size: 64, batch: 32 },
  { model: 'mobilefacenet', size: 112, batch: 16 },
  { model: 'iresnet18', size: 64, batch: 32 },
  { model: 'iresnet18', size: 112, batch: 8 },
];
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

/** Runs a child; resolves with its last JSON line, its time to exit after it, and its code. */
function child(cmd, args, limitS) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let lastAt = 0;
    p.stdout.on('data', (d) => {
      out += d;
      lastAt = performance.now();
    });
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: no exit within ${limitS} s (hang?)\n${out}`));
    }, limitS * 1000);
    p.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}\n${out}`));
      resolve({ ...JSON.parse(line), exitLagMs: Math.round(performance.now() - lastAt) });
    });
  });
}

const flags = (c, steps, extra = []) => [
  ...['--model', c.model, '--size', String(c.size), '--batch', String(c.batch)],
  ...['--steps', String(steps), ...extra],
];

async function table() {
  const steps = Number(o.steps ?? 3);
  const n = Number(o.threads);
  const only = o.only?.split(',');
  console.log(`threads.mjs ${new Date().toISOString()}, N = ${n}, load ${load()}`);
  console.log(
    '| model | input | batch | PyTorch 2 thr. img/s | wasm 1 thr. | ratio | wasm N thr. | ratio | N / 1 | load |',
  );
  console.log('| --- | --- | --: | --: | --: | --: | --: | --: | --: | --- |');
  const profiles = [];
  for (const c of CASES) {
    if (only && !only.includes(`${c.model}-${c.size}`)) continue;
    const prof = o.profile ? ['--profile'] : [];
    const one = await child(
      'node',
      [STEP_SCRIPT, ...flags(c, steps, ['--threads', '1', ...prof])],
      1800,
    );
    const many = await child(
      'node',
      [STEP_SCRIPT, ...flags(c, steps, ['--threads', String(n), ...prof])],
      1800,
    );
    // PyTorch is Debian's python3-torch; without it the row says so instead of stopping.
    const torch = await child('/usr/bin/python3', [TORCH_SCRIPT, ...flags(c, steps)], 1800).catch(
      (err) => (
        console.error(`PyTorch side failed: ${err.message.split('\n')[0]}`),
        { imagesPerS: NaN }
      ),
    );
    const r = (x) => (x.imagesPerS / torch.imagesPerS).toFixed(2);
    console.log(
      `| ${c.model} | ${c.size} | ${c.batch} | ${torch.imagesPerS} | ${one.imagesPerS} | ${r(one)} | ` +
        `${many.imagesPerS} (${many.threads}) | ${r(many)} | ${(many.imagesPerS / one.imagesPerS).toFixed(2)} | ${load()} |`,
    );
    if (o.profile) profiles.push([c, one.kernelMs, many.kernelMs]);
  }
  for (const [c, one, many] of profiles) {
    const total = (k) => Object.values(k).reduce((a, b) => a + b, 0);
    console.log(
      `\n${c.model}-${c.size} batch ${c.batch}: kernels ${total(one)} ms on 1 thread, ${total(many)} ms on ${n}`,
    );
    console.log(
      `| kernel | ms, 1 thread | ms, ${n} threads | speed-up | share of the ${n}-thread step |`,
    );
    console.log('| --- | --: | --: | --: | --: |');
    for (const [name, ms] of Object.entries(many).slice(0, 14)) {
      const s = one[name] ? (one[name] / Math.max(ms, 1)).toFixed(2) : '-';
      console.log(
        `| ${name} | ${one[name] ?? '-'} | ${ms} | ${s} | ${((100 * ms) / total(many)).toFixed(0)}% |`,
      );
    }
  }
}

async function soak() {
  const c = { model: o.model, size: Number(o.size), batch: Number(o.batch) };
  const steps = Number(o.steps ?? 1000);
  const start = performance.now();
  const r = await child(
    'node',
    [STEP_SCRIPT, ...flags(c, steps, ['--threads', o.threads])],
    Number(o['limit-s']),
  );
  const s = ((performance.now() - start) / 1000).toFixed(0);
  console.log(
    `soak: ${steps} steps of ${c.model}-${c.size} batch ${c.batch} on ${r.threads} threads, ` +
      `${r.msPerStep} ms/step, ${s} s in all; the child exited ${r.exitLagMs} ms after its last line`,
  );
}

if (positionals[0] === 'soak') await soak();
else await table();
