// Dumps a synthetic face set as raw bytes for scripts/synthetic_difficulty.py:
// <out>.u8 holds N x size x size x 3 pixels, <out>.json the labels and options.
// Usage: node scripts/run-ts.mjs scripts/dump-synthetic.ts <out> <identities> <images> <size> <difficulty> <seed>
import { writeFileSync } from 'node:fs';
import { SyntheticFaces } from '@face/data';

const [, , out, ids, images, size, difficulty, seed] = process.argv;
const options = {
  identities: Number(ids),
  imagesPerIdentity: Number(images),
  size: Number(size),
  difficulty: Number(difficulty),
  seed: Number(seed),
  cache: false,
};
const faces = new SyntheticFaces(options);
const bytes = new Uint8Array(faces.size * faces.imageSize * faces.imageSize * 3);
const t = Date.now();
for (let i = 0; i < faces.size; i++)
  bytes.set(faces.loadSync(i).data, i * faces.imageSize * faces.imageSize * 3);
const ms = Date.now() - t;
writeFileSync(`${out}.u8`, bytes);
writeFileSync(
  `${out}.json`,
  JSON.stringify({ ...options, labels: Array.from(faces.labels), renderMs: ms }),
);
console.log(
  `${faces.size} images of ${options.size}px in ${ms} ms (${(ms / faces.size).toFixed(2)} ms/image)`,
);
