import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelFileError } from '@face/core';
import { SyntheticFaces, subset, type FaceDataset } from '@face/data';
import {
  SeenIdentitiesError,
  checkUnseen,
  imagesOfSplit,
  loadFaceModel,
  readFaceModelSpec,
  saveFaceModel,
  seenLabels,
  trainingRecordOf,
  trainingSplits,
  type TrainingRecord,
} from '@face/recipes';
import { tinyBackbone } from './helpers/tiny';

const root = mkdtempSync(join(tmpdir(), 'face-eval-split-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const faces = (identities: number, seed = 0) =>
  new SyntheticFaces({ identities, imagesPerIdentity: 3, size: 16, seed, cache: false });

/** A folder-like dataset: named identities, no images behind them (never loaded here). */
function named(names: string[], perIdentity = 2): FaceDataset {
  const labels = Int32Array.from(names.flatMap((_, y) => Array<number>(perIdentity).fill(y)));
  return {
    size: labels.length,
    labels,
    classNames: names,
    load: () => Promise.reject(new Error('not loaded in this test')),
    source: (i) => `${names[labels[i]]}/${i}.jpg`,
  };
}

describe('trainingRecordOf: what a model trained on', () => {
  it("records the training split's people, the others of its data, and a synthetic seed", () => {
    const data = faces(10, 5);
    const splits = trainingSplits(data, { unseenFraction: 0.3, heldOutFraction: 0.2, seed: 1 });
    const record = trainingRecordOf(splits.train);
    expect(record.synthetic).toEqual({ seed: 5 });
    expect(record.identities).toHaveLength(7);
    expect(record.heldOut).toHaveLength(3);
    const unseen = new Set(splits.unseen!.labels);
    expect(record.heldOut.sort()).toEqual([...unseen].map((y) => data.classNames[y]).sort());
    expect([...record.identities, ...record.heldOut].sort()).toEqual([...data.classNames]);
  });

  it('records no seed for data that is not synthetic', () => {
    const data = named(['ann', 'bob', 'cy']);
    const record = trainingRecordOf(subset(data, [0, 1, 2, 3], { relabel: true }));
    expect(record).toEqual({ identities: ['ann', 'bob'], heldOut: ['cy'], synthetic: null });
  });
});

describe('seenLabels and imagesOfSplit', () => {
  const trainedOn = (seed: number): TrainingRecord => ({
    identities: ['synthetic-00', 'synthetic-03'],
    heldOut: [],
    synthetic: { seed },
  });

  it('synthetic people are a seed and a number: synthetic-003 of 1000 is synthetic-03 of 100', () => {
    const big = new SyntheticFaces({ identities: 1000, imagesPerIdentity: 1, size: 16 });
    expect([...seenLabels(big, trainedOn(0))]).toEqual([0, 3]);
    // Another seed draws other people: none was seen.
    expect(seenLabels(faces(10, 1), trainedOn(0)).size).toBe(0);
    // No seed recorded: compared by number (the conservative answer).
    expect([...seenLabels(faces(10, 1), { ...trainedOn(0), synthetic: null })]).toEqual([0, 3]);
  });

  it('folders are compared by name', () => {
    const record = { identities: ['bob'], heldOut: ['ann'], synthetic: null };
    expect([...seenLabels(named(['ann', 'bob', 'cy']), record)]).toEqual([1]);
  });

  it('cuts the images to unseen, seen or all identities, and counts them', () => {
    const data = faces(10);
    const unseen = imagesOfSplit(data, trainedOn(0), 'unseen');
    expect(unseen.identities).toEqual({ total: 10, seen: 2, kept: 8 });
    expect(unseen.dataset.size).toBe(24);
    expect(seenLabels(unseen.dataset, trainedOn(0)).size).toBe(0);
    const seen = imagesOfSplit(data, trainedOn(0), 'seen');
    expect(seen.identities.kept).toBe(2);
    expect(new Set(Array.from(seen.dataset.labels))).toEqual(new Set([0, 3]));
    expect(imagesOfSplit(data, trainedOn(0), 'all').dataset).toBe(data);
    expect(() => imagesOfSplit(data, trainedOn(0), 'some' as never)).toThrow(/split/);
  });

  it('checkUnseen names the people of a pairs list the model trained on', () => {
    const data = named(['ann', 'bob', 'cy', 'dee']);
    const record = { identities: ['bob', 'dee'], heldOut: [], synthetic: null };
    expect(() => checkUnseen('pairs', data, [0, 4, 5], record)).not.toThrow();
    let err: unknown;
    try {
      checkUnseen('pairs', data, [0, 2, 4, 6], record);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SeenIdentitiesError);
    expect((err as SeenIdentitiesError).seen).toEqual(['bob', 'dee']);
    expect((err as Error).message).toBe(
      '2 of 4 identities in the pairs were seen in training: bob, dee (expected people the model never trained on)',
    );
  });
});

describe('face-model.json records the training split', () => {
  const record: TrainingRecord = {
    identities: ['a', 'b'],
    heldOut: ['c'],
    synthetic: { seed: 4 },
  };

  it('saves it and loads it back; files without it still load', async () => {
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    const dir = join(root, 'with');
    await saveFaceModel(dir, { backbone, training: record });
    const loaded = await loadFaceModel(dir);
    expect(loaded.spec.training).toEqual(record);
    expect((await readFaceModelSpec(dir)).training).toEqual(record);
    loaded.backbone.dispose();
    const file = join(dir, 'face-model.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete json.training;
    writeFileSync(file, JSON.stringify(json));
    expect((await readFaceModelSpec(dir)).training).toBeUndefined();
    backbone.dispose();
  });

  it.each([
    [{ identities: 'a', heldOut: [], synthetic: null }, /training\.identities: must be an array/],
    [{ identities: [], heldOut: [1], synthetic: null }, /training\.heldOut: must be an array/],
    [{ identities: [], heldOut: [], synthetic: { seed: 'x' } }, /training\.synthetic: must be/],
  ])('a damaged record %j is a ModelFileError naming the entry', async (bad, message) => {
    const dir = join(root, 'damaged');
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8 });
    await saveFaceModel(dir, { backbone, training: record });
    backbone.dispose();
    const file = join(dir, 'face-model.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...json, training: bad }));
    await expect(readFaceModelSpec(dir)).rejects.toThrow(ModelFileError);
    await expect(readFaceModelSpec(dir)).rejects.toThrow(message);
  });
});
