// Writes a grid of synthetic faces to PNG for the README: rows are people, columns are views.
// Usage (from packages/data): node scripts/run-ts.mjs scripts/write-samples.ts [out.png] [size] [difficulty]
import sharp from 'sharp';
import { SyntheticFaces } from '@face/data';

const [, , out = 'docs/synthetic-faces.png', sizeArg = '64', difficultyArg = '0.5'] = process.argv;
const size = Number(sizeArg);
const rows = 6;
const cols = 8;
const faces = new SyntheticFaces({
  identities: rows,
  imagesPerIdentity: cols,
  size,
  difficulty: Number(difficultyArg),
  seed: 0,
});
const gap = 2;
const width = cols * size + (cols - 1) * gap;
const height = rows * size + (rows - 1) * gap;
const grid = new Uint8Array(width * height * 3).fill(255);
for (let r = 0; r < rows; r++) {
  for (let c = 0; c < cols; c++) {
    const img = faces.render(r, c);
    for (let y = 0; y < size; y++) {
      const row = (r * (size + gap) + y) * width + c * (size + gap);
      grid.set(img.data.subarray(y * size * 3, (y + 1) * size * 3), row * 3);
    }
  }
}
await sharp(grid, { raw: { width, height, channels: 3 } })
  .png()
  .toFile(out);
console.log(`wrote ${out} (${rows} people x ${cols} views, ${size}px)`);
