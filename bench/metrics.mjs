// @face/metrics benchmarks (run by hand after `pnpm build`; results go to bench/RESULTS.md):
//   node bench/metrics.mjs roc [n=10000000] [f32|f64]
//     roc() + rocAuc() on n float32 (or float64) scores vs scikit-learn's roc_curve +
//     roc_auc_score on the same data (ratio), and verificationMetrics() (AUC + EER + TAR@FAR +
//     best accuracy, one sort).
//   node bench/metrics.mjs search [backend=wasm] [queries=10000] [gallery=100000] [dim=512]
//     top-1 cosine searchGallery() of the queries over the gallery on a TF.js backend (cpu or
//     wasm) with peak memory, vs a numpy (BLAS) matmul + argmax on the same data.
// Needs /usr/bin/python3 with numpy and scikit-learn for the reference side.
/* global performance, setInterval, clearInterval */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../packages/core/dist/index.js';
import { roc, rocAuc, verificationMetrics } from '../packages/metrics/dist/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const work = join(tmpdir(), 'face-bench-metrics');
mkdirSync(work, { recursive: true });
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const mb = (bytes) => (bytes / 2 ** 20).toFixed(0);

function python(...args) {
  const out = execFileSync('/usr/bin/python3', [join(here, 'metrics.py'), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

function best(reps, fn) {
  let t = Infinity;
  let result;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    result = fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return { seconds: t, result };
}

async function benchRoc(n = 10_000_000, dtype = 'f32', reps = 3) {
  // Cosine-like scores, 10% genuine pairs: in float32, ties are common at this size.
  const rng = new Rng(42);
  const labels = new Uint8Array(n);
  const scores = dtype === 'f64' ? new Float64Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.next() < 0.1 ? 1 : 0;
    scores[i] = Math.tanh(labels[i] ? rng.normal(0.6, 0.25) : rng.normal(0.05, 0.12));
  }
  writeFileSync(join(work, `scores.${dtype}`), scores);
  writeFileSync(join(work, 'labels.u8'), labels);
  console.log(`roc: n=${n} ${dtype}, load before: ${load()}`);

  const r = best(reps, () => roc(scores, labels));
  const a = best(reps, () => rocAuc(scores, labels));
  const v = best(reps, () => verificationMetrics(scores, labels));
  const sk = python('roc', join(work, `scores.${dtype}`), join(work, 'labels.u8'), String(reps));
  const ours = r.seconds + a.seconds;
  const theirs = sk.roc_s + sk.auc_s;
  console.log(
    JSON.stringify({
      n,
      dtype,
      points: [r.result.fpr.length, sk.points],
      auc: [a.result, sk.auc, Math.abs(a.result - sk.auc)],
      face_roc_s: r.seconds,
      face_auc_s: a.seconds,
      face_verificationMetrics_s: v.seconds,
      sklearn_roc_s: sk.roc_s,
      sklearn_auc_s: sk.auc_s,
      ratio_sklearn_over_face: theirs / ours,
      face_max_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
      sklearn_max_rss_mb: sk.max_rss_mb.toFixed(0),
      load_after: load(),
    }),
  );
}

async function benchSearch(backend = 'wasm', nq = 10_000, ng = 100_000, dim = 512) {
  const tf = await import('@tensorflow/tfjs-core');
  if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend(backend);
  await tf.ready();
  const { searchGallery } = await import('../packages/metrics/dist/similarity.js');

  // Queries are noisy copies of known gallery rows, so the right answer is known.
  const rng = new Rng(7);
  const gallery = new Float32Array(ng * dim);
  for (let i = 0; i < gallery.length; i++) gallery[i] = rng.normal();
  const truth = Int32Array.from({ length: nq }, () => rng.int(ng));
  const queries = new Float32Array(nq * dim);
  for (let q = 0; q < nq; q++) {
    for (let j = 0; j < dim; j++)
      queries[q * dim + j] = gallery[truth[q] * dim + j] + rng.normal(0, 0.5);
  }
  writeFileSync(join(work, 'gallery.f32'), gallery);
  writeFileSync(join(work, 'queries.f32'), queries);
  const rssBefore = process.memoryUsage().rss;
  console.log(
    `search: ${nq} x ${ng} x ${dim} on ${backend}, rss ${mb(rssBefore)} MB, load before: ${load()}`,
  );

  const g = tf.tensor2d(gallery, [ng, dim]);
  const q = tf.tensor2d(queries, [nq, dim]);
  let peakRss = process.memoryUsage().rss;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
  const t0 = performance.now();
  const found = await searchGallery(q, g, { k: 1 });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const tfBytes = tf.memory().numBytes;
  tf.dispose([g, q]);

  const np = python(
    'search',
    join(work, 'gallery.f32'),
    join(work, 'queries.f32'),
    String(dim),
    '1024',
  );
  let agree = 0;
  let right = 0;
  for (let i = 0; i < nq; i++) {
    agree += found.indices[i] === np.top1[i] ? 1 : 0;
    right += found.indices[i] === truth[i] ? 1 : 0;
  }
  console.log(
    JSON.stringify({
      backend,
      queries: nq,
      gallery: ng,
      dim,
      face_s: seconds,
      face_queries_per_s: nq / seconds,
      numpy_s: np.search_s,
      ratio_numpy_over_face: np.search_s / seconds,
      top1_agreement_with_numpy: agree / nq,
      top1_correct: right / nq,
      gallery_mb: mb(gallery.byteLength),
      tf_tensor_mb_during: mb(tfBytes),
      rss_before_search_mb: mb(rssBefore),
      peak_rss_mb: mb(peakRss),
      max_rss_mb: mb(process.resourceUsage().maxRSS * 1024),
      numpy_max_rss_mb: np.max_rss_mb.toFixed(0),
      load_after: load(),
    }),
  );
}

const [what = 'roc', ...args] = process.argv.slice(2);
if (what === 'roc') await benchRoc(Number(args[0] ?? 10_000_000), args[1]);
else if (what === 'search') await benchSearch(args[0], ...args.slice(1).map(Number));
else throw new Error(`bench/metrics.mjs: unknown benchmark '${what}' (roc or search)`);
