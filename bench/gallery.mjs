// @face/gallery at scale: enrol N synthetic 512-d embeddings into an embedded PGlite gallery (a
// folder), identify queries by exact search and through the HNSW index, and the same queries with
// the in-memory searchGallery of @face/metrics on the same data. Needs `pnpm build` first. Usage:
//   node bench/gallery.mjs [--n 100000] [--dim 512] [--queries 100] [--m 16] [--ef-construction 64]
//     [--memory-mb 1024] [--backend wasm]
// Each identity has one template; a query is a gallery row plus noise (its mate is that row).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { clearInterval, setInterval } from 'node:timers';
import { Rng } from '../packages/core/dist/index.js';
import { openGallery } from '../packages/gallery/dist/index.js';

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .reduce((p, a, i, all) => (a.startsWith('--') ? [...p, [a.slice(2), all[i + 1]]] : p), []),
);
const n = Number(args.n ?? 100_000);
const dim = Number(args.dim ?? 512);
const nq = Number(args.queries ?? 100);
const m = Number(args.m ?? 16);
const efConstruction = Number(args['ef-construction'] ?? 64);
const memoryMB = Number(args['memory-mb'] ?? 1024);
const backend = args.backend ?? 'wasm';

const rng = new Rng(1);
const gaussian = () =>
  Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
const gallery = new Float32Array(n * dim);
for (let i = 0; i < gallery.length; i++) gallery[i] = gaussian();
const row = (i) => gallery.subarray(i * dim, (i + 1) * dim);
const mates = Array.from({ length: nq }, () => Math.floor(rng.next() * n));
// Noise of norm ~ the row's: cosine to the mate ~0.7, to others ~0 +- 0.045 (512-d).
const queries = mates.map((g) => row(g).map((x) => x + gaussian()));

const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const ms = (x) => x.toFixed(1);
let peakRss = 0;
const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

const dir = join(mkdtempSync(join(tmpdir(), 'face-bench-gallery-')), 'gallery');
const g = await openGallery(dir, { model: { fingerprint: 'bench', dim } });
let t0 = performance.now();
function* templates() {
  for (let i = 0; i < n; i++) yield { identity: `id${i}`, source: 'x', embedding: row(i) };
}
await g.enrolStream(templates(), {
  batchSize: 1000,
  onProgress: (p) => (p.added % 20000 === 0 ? console.error(`enrolled ${p.added}`) : undefined),
});
const enrolS = (performance.now() - t0) / 1000;

async function latencies(options) {
  const times = [];
  const top = [];
  for (const q of queries) {
    const t = performance.now();
    const [r] = await g.identify([q], options);
    times.push(performance.now() - t);
    top.push(r.identity);
  }
  return { p50: pct(times, 0.5), p99: pct(times, 0.99), top };
}
const exact = await latencies({ search: 'exact' });
t0 = performance.now();
await g.buildIndex({ m, efConstruction, memoryMB });
const indexS = (performance.now() - t0) / 1000;
const recall = (r) => r.top.filter((id, i) => id === exact.top[i]).length / nq;
const hnsw40 = await latencies({ search: 'hnsw', efSearch: 40 });
const hnsw100 = await latencies({ search: 'hnsw', efSearch: 100 });
await g.close();
const dbMB = Number(execFileSync('du', ['-sm', dir]).toString().split('\t')[0]);
rmSync(dir, { recursive: true, force: true });

const tf = await import('@tensorflow/tfjs-core');
await import(backend === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs-backend-cpu');
await tf.setBackend(backend);
const { searchGallery } = await import('../packages/metrics/dist/similarity.js');
const qFlat = new Float32Array(nq * dim);
queries.forEach((q, i) => qFlat.set(q, i * dim));
const q2 = tf.tensor2d(qFlat, [nq, dim]);
const g2 = tf.tensor2d(gallery, [n, dim]);
t0 = performance.now();
const found = await searchGallery(q2, g2, { k: 1 });
const sgS = (performance.now() - t0) / 1000;
const sgAgree = exact.top.filter((id, i) => id === `id${found.indices[i]}`).length / nq;
const mateFound = exact.top.filter((id, i) => id === `id${mates[i]}`).length / nq;
clearInterval(sample);

console.log(
  `## @face/gallery: ${n} x ${dim}-d, ${nq} queries (${new Date().toISOString().slice(0, 10)}, ${cpus()[0].model}, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}, Node ${process.version})\n`,
);
console.log('| step | result |\n| --- | --- |');
console.log(
  `| enrol (PGlite folder, batches of 1000) | ${(n / enrolS).toFixed(0)} rows/s (${enrolS.toFixed(1)} s) |`,
);
console.log(
  `| exact identify, 1 query | p50 ${ms(exact.p50)} ms, p99 ${ms(exact.p99)} ms (top-1 = mate for ${mateFound}) |`,
);
console.log(
  `| HNSW build (m ${m}, ef_construction ${efConstruction}, ${memoryMB} MB) | ${indexS.toFixed(1)} s |`,
);
console.log(
  `| HNSW identify, ef_search 40 | p50 ${ms(hnsw40.p50)} ms, p99 ${ms(hnsw40.p99)} ms, recall@1 vs exact ${recall(hnsw40)} |`,
);
console.log(
  `| HNSW identify, ef_search 100 | p50 ${ms(hnsw100.p50)} ms, p99 ${ms(hnsw100.p99)} ms, recall@1 vs exact ${recall(hnsw100)} |`,
);
console.log(
  `| searchGallery (${backend}, in memory, all ${nq} queries at once) | ${(sgS * 1000).toFixed(0)} ms = ${ms((sgS * 1000) / nq)} ms/query; same top-1 as the gallery's exact search: ${sgAgree} |`,
);
console.log(
  `| memory | peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB; database folder ${dbMB} MB |`,
);
