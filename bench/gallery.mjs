// @face/gallery at scale: enrol N synthetic 512-d embeddings into an embedded PGlite gallery (a
// folder), identify queries by exact search and through the HNSW index, and the same queries with
// the in-memory searchGallery of @face/metrics on the same data. Needs `pnpm build` first. Usage:
//   node bench/gallery.mjs [--n 100000] [--dim 512] [--queries 100] [--m 16] [--ef-construction 64]
//     [--ef-search 40,100] [--memory-mb 1024] [--backend wasm]
//     [--clustered [--templates 5] [--noise 0.5]]
// Default data: each identity has one Gaussian template; a query is that row plus noise of the same
// norm (isotropic: no structure for HNSW's graph to use, its worst case). --clustered is closer to
// face embeddings: each identity is a random centre with --templates noisy samples (n rows in all),
// and a query is another noisy sample of a centre. One index build serves every --ef-search value.
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
const efSearches = String(args['ef-search'] ?? '40,100')
  .split(',')
  .map(Number);
// A boolean flag: `--clustered` alone or followed by another flag.
const clustered = process.argv.includes('--clustered');
const perId = clustered ? Number(args.templates ?? 5) : 1;
// Noise per coordinate relative to the centre's: cosine between two samples of one identity is
// ~1 / (1 + noise^2) (0.8 at 0.5, like a good face model's same-person pairs), ~0 across identities.
const noise = Number(args.noise ?? 0.5);
if (n % perId) throw new Error(`--n ${n} is not a multiple of --templates ${perId}`);

const rng = new Rng(1);
const gaussian = () =>
  Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
const gallery = new Float32Array(n * dim);
const nIds = n / perId;
const identityOf = (i) => `id${Math.floor(i / perId)}`;
let centres = null;
if (clustered) {
  centres = new Float32Array(nIds * dim);
  for (let i = 0; i < centres.length; i++) centres[i] = gaussian();
  for (let i = 0; i < gallery.length; i++)
    gallery[i] = centres[Math.floor(i / (perId * dim)) * dim + (i % dim)] + noise * gaussian();
} else {
  for (let i = 0; i < gallery.length; i++) gallery[i] = gaussian();
}
const row = (i) => gallery.subarray(i * dim, (i + 1) * dim);
const mates = Array.from({ length: nq }, () => Math.floor(rng.next() * nIds));
// Isotropic: noise of norm ~ the row's: cosine to the mate ~0.7, to others ~0 +- 0.045 (512-d).
// Clustered: a new sample of the mate's centre, like a new picture of an enrolled person.
const queries = mates.map((id) =>
  clustered
    ? centres.subarray(id * dim, (id + 1) * dim).map((x) => x + noise * gaussian())
    : row(id).map((x) => x + gaussian()),
);

const pct = (xs, p) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const ms = (x) => x.toFixed(1);
let peakRss = 0;
const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

const dir = join(mkdtempSync(join(tmpdir(), 'face-bench-gallery-')), 'gallery');
const g = await openGallery(dir, { model: { fingerprint: 'bench', dim } });
let t0 = performance.now();
function* templates() {
  for (let i = 0; i < n; i++) yield { identity: identityOf(i), source: `x${i}`, embedding: row(i) };
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
const hnsw = [];
for (const efSearch of efSearches) hnsw.push(await latencies({ search: 'hnsw', efSearch }));
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
const sgAgree = exact.top.filter((id, i) => id === identityOf(found.indices[i])).length / nq;
const mateFound = exact.top.filter((id, i) => id === `id${mates[i]}`).length / nq;
clearInterval(sample);

console.log(
  `## @face/gallery: ${n} x ${dim}-d, ${clustered ? `clustered (${nIds} identities x ${perId} templates, noise ${noise})` : 'isotropic Gaussian'}, ${nq} queries (${new Date().toISOString().slice(0, 10)}, ${cpus()[0].model}, ${cpus().length} cores, load ${loadavg()[0].toFixed(1)}, Node ${process.version})\n`,
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
hnsw.forEach((r, i) =>
  console.log(
    `| HNSW identify, ef_search ${efSearches[i]} | p50 ${ms(r.p50)} ms, p99 ${ms(r.p99)} ms, recall@1 vs exact ${recall(r)}, top-1 = mate for ${r.top.filter((id, j) => id === `id${mates[j]}`).length / nq} |`,
  ),
);
console.log(
  `| searchGallery (${backend}, in memory, all ${nq} queries at once) | ${(sgS * 1000).toFixed(0)} ms = ${ms((sgS * 1000) / nq)} ms/query; same top-1 as the gallery's exact search: ${sgAgree} |`,
);
console.log(
  `| memory | peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB; database folder ${dbMB} MB |`,
);
