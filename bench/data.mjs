// Does the input pipeline keep up with training? Decode + augment + batch throughput of
// @face/data's DataLoader on 250x250 JPEGs (LFW's size) to 112x112 batches, next to a plain sharp
// decode loop. Run by hand after `pnpm build`: node bench/data.mjs [images] [backend: cpu|wasm]
// Prints a markdown table for bench/RESULTS.md, with the machine and its load.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';

const require = createRequire(new URL('../packages/data/package.json', import.meta.url));
const tf = require('@tensorflow/tfjs-core');
const sharp = require('sharp');
const data = await import('../packages/data/dist/index.js');
const { ImageFolder } = await import('../packages/data/dist/node.js');

const total = Number(process.argv[2] ?? 512);
const backend = process.argv[3] ?? 'cpu';
await import(createRequire(import.meta.url).resolve(`@tensorflow/tfjs-backend-${backend}`));
await tf.setBackend(backend);
await tf.ready();

// A folder of 250x250 JPEGs (quality 90): synthetic faces, 16 per identity.
const root = mkdtempSync(join(tmpdir(), 'face-bench-data-'));
const faces = new data.SyntheticFaces({
  identities: Math.ceil(total / 16),
  imagesPerIdentity: 16,
  size: 250,
  seed: 1,
  cache: false,
});
for (let i = 0; i < total; i++) {
  const img = faces.loadSync(i);
  const dir = join(root, faces.classNames[faces.labels[i]]);
  mkdirSync(dir, { recursive: true });
  const jpeg = await sharp(Buffer.from(img.data), { raw: { width: 250, height: 250, channels: 3 } })
    .jpeg({ quality: 90 })
    .toBuffer();
  writeFileSync(join(dir, `${String(i).padStart(5, '0')}.jpg`), jpeg);
}
const files = readdirSync(root).flatMap((d) =>
  readdirSync(join(root, d)).map((f) => join(root, d, f)),
);

async function time(label, fn) {
  await fn(Math.min(64, total)); // warm-up (JIT, sharp thread pool, kernels)
  const start = performance.now();
  await fn(total);
  const s = (performance.now() - start) / 1000;
  return { label, perSecond: total / s };
}

const rows = [];
rows.push(
  await time('sharp: read + decode to RGB, one at a time', async (n) => {
    for (let i = 0; i < n; i++) await sharp(readFileSync(files[i])).removeAlpha().raw().toBuffer();
  }),
);
rows.push(
  await time('sharp: read + decode + resize to 112 in libvips, 8 at a time', async (n) => {
    for (let i = 0; i < n; i += 8)
      await Promise.all(
        files
          .slice(i, Math.min(n, i + 8))
          .map((f) => sharp(readFileSync(f)).resize(112, 112).raw().toBuffer()),
      );
  }),
);
const folder = new ImageFolder(root);
const pipelines = {
  'resize 112 + flip + normalize': data.compose([
    data.resize([112, 112]),
    data.randomHorizontalFlip(),
    data.normalize(),
  ]),
  'resize 128 + random crop 112 + flip + colour jitter + normalize + random erasing': data.compose([
    data.resize([128, 128]),
    data.randomCrop(112),
    data.randomHorizontalFlip(),
    data.colorJitter({ brightness: 0.2, contrast: 0.2, saturation: 0.2 }),
    data.normalize(),
    data.randomErasing(),
  ]),
};
for (const [name, transform] of Object.entries(pipelines)) {
  rows.push(
    await time(`DataLoader (batch 64, prefetch 2, ${backend}): decode + ${name}`, async (n) => {
      const sub = data.subset(
        folder,
        Array.from({ length: n }, (_, i) => i),
      );
      const loader = new data.DataLoader(sub, {
        sampler: new data.ShuffleSampler(sub, { batchSize: 64 }),
        transform,
      });
      for await (const b of loader) {
        await b.images.data(); // make sure the work is done
        data.disposeBatch(b);
      }
    }),
  );
}
rmSync(root, { recursive: true, force: true });

const date = new Date().toISOString().slice(0, 10);
console.log(`### data: decode + augment + batch, 250x250 JPEG -> 112x112 (${date})\n`);
console.log(
  `Machine: ${cpus().length} x ${cpus()[0].model}, Node ${process.version}, tfjs ${tf.version_core} (${backend} backend), ${total} images; load average before: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}\n`,
);
console.log('| pipeline | images/s |\n| --- | ---: |');
for (const r of rows) console.log(`| ${r.label} | ${r.perSecond.toFixed(0)} |`);
