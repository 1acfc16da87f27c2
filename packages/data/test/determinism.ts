// The configuration whose batches are pinned in fixtures/determinism.json (shared by the test and
// scripts/gen-determinism-fixture.ts): any change to sampling, augmentation or synthesis shows.
import {
  DataLoader,
  PKSampler,
  SyntheticFaces,
  colorJitter,
  compose,
  disposeBatch,
  normalize,
  randomCrop,
  randomErasing,
  randomHorizontalFlip,
} from '@face/data';

/** FNV-1a over the float32 bytes: a short fingerprint of a batch's pixels. */
export function fingerprint(values: Float32Array | Int32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export async function pinnedBatches(): Promise<
  { epoch: number; batch: number; indices: number[]; pixels: string }[]
> {
  const faces = new SyntheticFaces({
    identities: 8,
    imagesPerIdentity: { min: 2, max: 5 },
    size: 24,
    seed: 2024,
  });
  const loader = new DataLoader(faces, {
    sampler: new PKSampler(faces, { p: 3, k: 3, seed: 2024, batchesPerEpoch: 2 }),
    transform: compose([
      randomCrop(20, { padding: 2 }),
      randomHorizontalFlip(),
      colorJitter({ brightness: 0.3, contrast: 0.3, saturation: 0.3, hue: 0.05 }),
      normalize(),
      randomErasing({ p: 0.5 }),
    ]),
    seed: 2024,
  });
  const out = [];
  for await (const b of loader.iterate({ endEpoch: 2 })) {
    out.push({
      epoch: b.epoch,
      batch: b.batch,
      indices: b.indices,
      pixels: fingerprint(b.images.dataSync() as Float32Array),
    });
    disposeBatch(b);
  }
  return out;
}
