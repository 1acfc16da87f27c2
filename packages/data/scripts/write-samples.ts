// Writes grids of synthetic faces to PNG for the README.
// Usage (from packages/data): node scripts/run-ts.mjs scripts/write-samples.ts
//   docs/synthetic-faces.png: 5 people (rows) x 8 views, 64 px, difficulty 0.5 (the default)
//   docs/synthetic-faces-112.png: 3 people x 6 views at 112 px
//   docs/synthetic-difficulty.png: one person at difficulty 0, 0.25, 0.5, 0.75, 1 (rows) x 8 views
import sharp from 'sharp';
import { SyntheticFaces, type DecodedImage } from '@face/data';

async function grid(out: string, cells: DecodedImage[][]): Promise<void> {
  const size = cells[0][0].width;
  const gap = 2;
  const rows = cells.length;
  const cols = cells[0].length;
  const width = cols * size + (cols - 1) * gap;
  const height = rows * size + (rows - 1) * gap;
  const pixels = new Uint8Array(width * height * 3).fill(255);
  cells.forEach((row, r) =>
    row.forEach((img, c) => {
      for (let y = 0; y < size; y++) {
        const at = ((r * (size + gap) + y) * width + c * (size + gap)) * 3;
        pixels.set(img.data.subarray(y * size * 3, (y + 1) * size * 3), at);
      }
    }),
  );
  await sharp(pixels, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 9 })
    .toFile(out);
  console.log(`wrote ${out} (${rows} x ${cols} at ${size} px)`);
}

const people = (size: number, rows: number, cols: number) => {
  const faces = new SyntheticFaces({ identities: rows, imagesPerIdentity: cols, size, seed: 0 });
  return Array.from({ length: rows }, (_, r) =>
    Array.from({ length: cols }, (_, c) => faces.render(r, c)),
  );
};
await grid('docs/synthetic-faces.png', people(64, 5, 8));
await grid('docs/synthetic-faces-112.png', people(112, 3, 6));
await grid(
  'docs/synthetic-difficulty.png',
  [0, 0.25, 0.5, 0.75, 1].map((difficulty) => {
    const faces = new SyntheticFaces({ identities: 3, size: 64, seed: 0, difficulty });
    return Array.from({ length: 8 }, (_, v) => faces.render(2, v));
  }),
);
