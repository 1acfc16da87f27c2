// A training folder with broken files: a zero-byte .jpg, a truncated JPEG, a text file named .jpg
// and a 25 MP PNG over the pixel cap. Training must go through to the end (the bad places filled
// with other images of the same people), resume to the same bits, and evaluation must leave the
// bad images out and say so; with onBadImage 'fail' the first one stops everything.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@face/core';
import { ImageDecodeError, type Pair } from '@face/data';
import { ImageFolder } from '@face/data/node';
import {
  classificationRecipe,
  embedDataset,
  evaluateClassification,
  evaluateIdentification,
  evaluateVerification,
  jointRecipe,
  type RecipeRun,
} from '@face/recipes';
import type { Callback } from '@face/train';
import { tinyBackbone } from './helpers/tiny';

// sharp is a dependency of @face/data (the decoder), not of this package: borrow data's copy.
interface Encoder {
  png(): Encoder;
  jpeg(): Encoder;
  toBuffer(): Promise<Buffer>;
}
const sharp = createRequire(new URL('../../data/package.json', import.meta.url))('sharp') as (
  input: Buffer | { create: object },
  options?: object,
) => Encoder;

const PEOPLE = ['p0', 'p1', 'p2', 'p3'];
let root: string;
let runs: string;
let bad: string[];

/** 16 x 16 noise around a colour of the person's own, so people differ and images do too. */
async function face(person: number, view: number): Promise<Buffer> {
  const rng = new Rng(person * 100 + view);
  const px = new Uint8Array(16 * 16 * 3);
  for (let i = 0; i < px.length; i++)
    px[i] = (((i % 3) + 1) * 70 * (person + 1) + rng.int(40)) % 256;
  return sharp(Buffer.from(px), { raw: { width: 16, height: 16, channels: 3 } })
    .png()
    .toBuffer();
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'face-train-hostile-'));
  runs = mkdtempSync(join(tmpdir(), 'face-train-hostile-runs-'));
  for (const [p, name] of PEOPLE.entries()) {
    mkdirSync(join(root, name));
    for (let v = 0; v < 5; v++) writeFileSync(join(root, name, `${v}.png`), await face(p, v));
  }
  const jpeg = await sharp(await face(0, 9))
    .jpeg()
    .toBuffer();
  bad = [
    join(root, 'p0', 'empty.jpg'),
    join(root, 'p1', 'cut.jpg'),
    join(root, 'p2', 'text.jpg'),
    join(root, 'p3', 'huge.png'),
  ];
  writeFileSync(bad[0], new Uint8Array(0));
  writeFileSync(bad[1], jpeg.subarray(0, jpeg.length >> 1));
  writeFileSync(bad[2], 'this is not a picture\n');
  const huge = { width: 5000, height: 5000, channels: 3 as const, background: '#777' };
  writeFileSync(bad[3], await sharp({ create: huge }).png().toBuffer());
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(runs, { recursive: true, force: true });
});

const bits = (run: RecipeRun) =>
  run.trainer.variables.map((v) =>
    Array.from(new Uint32Array(Float32Array.from(v.variable.dataSync()).buffer)),
  );

function joint(out: string, callbacks: Callback[] = []) {
  const train = new ImageFolder(root, { onError: 'skip' });
  const backbone = tinyBackbone({ filters: [4, 8], embeddingDim: 8 });
  const run = jointRecipe({
    backbone,
    train,
    epochs: 2,
    p: 2,
    k: 3,
    seed: 4,
    out,
    modelDir: false,
    checkpoint: { everySteps: 2 },
    optimizer: { kind: 'adamw', lr: 3e-3 },
    callbacks,
  });
  return Object.assign(run, {
    close() {
      run.dispose();
      backbone.dispose();
    },
  });
}

describe('recipes on a folder with bad files', () => {
  it('train to the end with full batches, and a resumed run ends with the same bits', async () => {
    const full = joint(join(runs, 'full'));
    const result = await full.fit();
    expect(result.stopReason).toBeNull();
    expect(full.loader.batchesPerEpoch).toBe(4);
    expect(full.trainer.step).toBe(8);
    expect(full.loader.skippedCount).toBeGreaterThan(0);
    expect(full.loader.replaced).toBeGreaterThan(0);
    expect(full.loader.dropped).toBe(0);
    for (const p of full.loader.skipped) expect(bad).toContain(p.path);
    const expected = bits(full);
    full.close();

    // 4 batches per epoch: stop in epoch 1 after the checkpoint at update 6, resume in a fresh run.
    const dir = join(runs, 'resumed');
    const stopper: Callback = {
      name: 'stopper',
      beforeUpdate: (info) => (info.step === 7 ? 'stop' : undefined),
    };
    const first = joint(dir, [stopper]);
    await first.fit();
    expect(first.trainer.step).toBe(6);
    first.close();
    const again = joint(dir);
    await again.resume();
    expect(again.trainer.position).toMatchObject({ epoch: 1, batchInEpoch: 2, step: 6 });
    await again.fit();
    expect(bits(again)).toEqual(expected);
    again.close();
  });

  it("with onBadImage 'fail' stops at the first bad file with its ImageDecodeError", async () => {
    const run = classificationRecipe({
      backbone: tinyBackbone({ filters: [4, 8], embeddingDim: 8 }),
      train: new ImageFolder(root, { onError: 'skip' }),
      epochs: 1,
      batchSize: 24,
      onBadImage: 'fail',
    });
    await expect(run.fit()).rejects.toThrow(ImageDecodeError);
    run.dispose();
    expect(() =>
      classificationRecipe({
        backbone: tinyBackbone({ filters: [4, 8], embeddingDim: 8 }),
        train: new ImageFolder(root, { onError: 'skip' }),
        epochs: 1,
        onBadImage: 'ignore' as never,
      }),
    ).toThrow(/onBadImage/);
  });
});

describe('evaluation with bad files', () => {
  it('leaves unreadable images out, drops the pairs and queries that need them, and counts them', async () => {
    const ds = new ImageFolder(root, { onError: 'skip' });
    const isBad = (i: number) => bad.includes(ds.source(i));
    const model = tinyBackbone({ filters: [4, 8], embeddingDim: 8 });
    const before = tf.memory().numTensors;

    const e = await embedDataset(model, ds, { batchSize: 7 });
    expect(e.count).toBe(20);
    expect(Array.from(e.indices)).toEqual(
      Array.from({ length: ds.size }, (_, i) => i).filter((i) => !isBad(i)),
    );
    expect(Array.from(e.labels)).toEqual(Array.from(e.indices, (i) => ds.labels[i]));
    expect(e.skipped.map((p) => p.path).sort()).toEqual([...bad].sort());
    expect(e.embeddings.length).toBe(20 * 8);

    const badIndex = ds.entries.findIndex((x) => x.path === bad[1]);
    const good = (person: number, v: number) =>
      ds.entries.findIndex((x) => x.path === join(root, PEOPLE[person], `${v}.png`));
    const pairs: Pair[] = [
      { first: good(0, 0), second: good(0, 1), same: true, fold: 0 },
      { first: good(1, 0), second: badIndex, same: true, fold: 0 },
      { first: good(0, 2), second: good(1, 1), same: false, fold: 0 },
      { first: good(2, 0), second: good(2, 1), same: true, fold: 0 },
      { first: good(3, 0), second: good(2, 2), same: false, fold: 0 },
    ];
    const v = await evaluateVerification(model, { dataset: ds, pairs });
    expect(v.droppedPairs).toBe(1);
    expect(v.pairs).toEqual(pairs.filter((_, i) => i !== 1));
    expect(Array.from(v.labels)).toEqual([1, 0, 1, 0]);
    expect(v.skipped.map((p) => p.path)).toEqual([bad[1]]);

    const id = await evaluateIdentification(model, ds, {
      split: { unknownFraction: 0.5, galleryPerIdentity: 1, balance: false, seed: 1 },
    });
    expect(id.dropped.gallery + id.dropped.queries).toBe(4);
    expect([...id.split.gallery, ...id.split.query].some(isBad)).toBe(false);
    expect(id.queryLabels).toHaveLength(id.split.query.length);

    const head = {
      numClasses: 4,
      logits: (x: tf.Tensor2D) => tf.slice(x, [0, 0], [-1, 4]) as tf.Tensor2D,
    };
    const c = await evaluateClassification(model, head as never, ds, { batchSize: 6 });
    expect(c.samples).toBe(20);
    expect(c.labels).toHaveLength(20);
    expect(c.skipped).toHaveLength(4);
    expect(tf.memory().numTensors).toBe(before);

    await expect(embedDataset(model, ds, { onBadImage: 'fail' })).rejects.toThrow(ImageDecodeError);
    await expect(evaluateVerification(model, { dataset: ds, pairs: [pairs[1]] })).rejects.toThrow(
      /at least one pair whose two images decode/,
    );
    model.dispose();
  });
});
