// The library functions the `face` commands are built from: training splits, pairs drawn for
// evaluation, relabelling to a model's classes, the evaluation summary, metric losses by name.
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { SyntheticFaces, subset, type FaceDataset } from '@face/data';
import {
  FINE_TUNE_PRESET,
  METRIC_CENTER_LAMBDA,
  TooFewPairsError,
  UnseenSplitError,
  byModelClasses,
  drawVerificationPairs,
  evaluationSummary,
  metricLossOptions,
  metricRecipe,
  parseMetricLosses,
  trainingSplits,
  type ClassificationResult,
  type IdentificationResult,
  type VerificationResult,
} from '@face/recipes';
import { tinyBackbone } from './helpers/tiny';

const faces = (identities: number, imagesPerIdentity: number): FaceDataset =>
  new SyntheticFaces({ identities, imagesPerIdentity, size: 16, seed: 1 });

const sources = (d: FaceDataset) => Array.from({ length: d.size }, (_, i) => d.source(i));

describe('trainingSplits', () => {
  it('holds out whole identities, then images of the others, and draws pairs over the unseen', () => {
    const data = faces(10, 5);
    const s = trainingSplits(data, { unseenFraction: 0.2, heldOutFraction: 0.2, seed: 4 });
    const unseen = new Set(sources(s.unseen!));
    const known = [...sources(s.train), ...sources(s.heldOut!)];
    expect(new Set(s.unseen!.labels).size).toBe(2);
    expect(known.length + unseen.size).toBe(data.size);
    expect(known.some((x) => unseen.has(x))).toBe(false);
    expect(s.train.classNames).toHaveLength(8);
    // Two people with 5 images allow 20 same pairs: all of them, not the 300 asked for.
    expect(s.pairs!.pairs.filter((p) => p.same)).toHaveLength(20);
    // Pure in the seed: a resumed run gets the same split.
    const again = trainingSplits(data, { unseenFraction: 0.2, heldOutFraction: 0.2, seed: 4 });
    expect(sources(again.train)).toEqual(sources(s.train));
    expect(again.pairs!.pairs).toEqual(s.pairs!.pairs);
  });

  it('relabels to the identities present when nothing is held out', () => {
    const data = faces(6, 3);
    const someoneMissing = subset(data, [0, 1, 2, 6, 7, 8, 12, 13, 14]);
    const s = trainingSplits(someoneMissing, { unseenFraction: 0, heldOutFraction: 0 });
    expect(s.train.classNames).toHaveLength(3);
    expect(Math.max(...s.train.labels)).toBe(2);
    expect(s.unseen).toBeNull();
    expect(s.pairs).toBeNull();
  });

  it('refuses a fraction that leaves fewer than 2 identities on a side, with both counts', () => {
    const data = faces(5, 2);
    for (const fraction of [0.1, 0.9]) {
      let err: unknown;
      try {
        trainingSplits(data, { unseenFraction: fraction, heldOutFraction: 0 });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UnseenSplitError);
      expect(err).toBeInstanceOf(InvalidArgumentError);
      const e = err as UnseenSplitError;
      expect(e.unseen + e.training).toBe(5);
      expect(e.message).toMatch(/^trainingSplits: unseenFraction must be .*got 0\.[19]$/);
    }
    expect(() => trainingSplits(data, { unseenFraction: 2, heldOutFraction: 0 })).toThrow(
      InvalidArgumentError,
    );
  });
});

describe('drawVerificationPairs', () => {
  it('draws as many folds and pairs as the data allow', () => {
    const pairs = drawVerificationPairs(faces(6, 3), { pairsPerFold: 300, folds: 10, seed: 1 });
    // 6 people: 3 folds of 2; each fold's 2 people x 3 images allow 6 same pairs, so 300 halves to 4.
    expect(new Set(pairs.map((p) => p.fold)).size).toBe(3);
    expect(pairs.filter((p) => p.same && p.fold === 0)).toHaveLength(4);
  });

  it('says so, typed, when no pair can be drawn, and passes other refusals through', () => {
    expect(() => drawVerificationPairs(faces(4, 1))).toThrow(TooFewPairsError);
    expect(() => drawVerificationPairs(faces(1, 5))).toThrow(/at least 2 identities/);
    const badLabels = { ...faces(4, 2), labels: Int32Array.from([0, 0, 1, 1, 2, 2, 3, -1]) };
    let err: unknown;
    try {
      drawVerificationPairs(badLabels);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).not.toBeInstanceOf(TooFewPairsError);
  });
});

describe('byModelClasses', () => {
  it("keeps the images of the model's identities, labelled with the model's indices", () => {
    const data = faces(4, 2);
    const model = [data.classNames[3], 'someone else', data.classNames[1]];
    const view = byModelClasses(data, model);
    expect(view.size).toBe(4);
    expect([...view.labels]).toEqual([2, 2, 0, 0]);
    expect(view.source(0)).toBe(data.source(2));
    expect(view.classNames).toBe(model);
    expect(() => byModelClasses(data, 'abc' as never)).toThrow(/classNames must be/);
  });
});

describe('evaluationSummary', () => {
  const classification = {
    samples: 10,
    accuracy: 0.5,
    topK: { 1: 0.5, 5: 0.9 },
    labels: Int32Array.from([0, 1]),
    skipped: [],
  } as ClassificationResult;
  const verification = {
    auc: 0.8,
    eer: { eer: 0.25 },
    tarAtFar: [
      { far: 0.01, tar: 0.3 },
      { far: 0.1, tar: 0.6 },
    ],
    bestAccuracy: { accuracy: 0.7 },
    positives: 2,
    negatives: 2,
    scores: Float64Array.from([0.9, 0.8, 0.1, 0.2]),
    labels: Uint8Array.from([1, 1, 0, 0]),
    pairs: [0, 1, 0, 1].map((fold) => ({ first: 0, second: 1, same: true, fold })),
    droppedPairs: 1,
    skipped: [],
  } as unknown as VerificationResult;
  const identification = {
    split: { queryIsKnown: [true, false, true], query: [0, 1, 2] },
    cmc: [0.75, 1, 1, 1, 1],
    dirAtFar: [{ far: 0.1, dir: 0.5 }],
    dropped: { gallery: 0, queries: 0 },
    neighbors: { indices: [], scores: [] },
    queryLabels: Int32Array.from([0]),
    galleryLabels: Int32Array.from([0]),
  } as unknown as IdentificationResult;

  it('gives the metrics by key, the rows in order and the report input', () => {
    const s = evaluationSummary(
      { classification, leftOutImages: 3, verification, identification },
      { title: 'm' },
    );
    expect(s.metrics).toEqual({
      accuracy: 0.5,
      top5: 0.9,
      auc: 0.8,
      eer: 0.25,
      'tar@far=0.01': 0.3,
      'tar@far=0.1': 0.6,
      pair_accuracy: 0.7,
      kfold_accuracy: expect.any(Number),
      rank1: 0.75,
      rank5: 1,
      'dir@far=0.1': 0.5,
    });
    expect(s.rows.map((r) => r.label)).toContain('(images of unknown identities, left out)');
    expect(s.rows.find((r) => r.key === 'queries')!.value).toBe('2 / 1');
    expect(s.rows.find((r) => r.key === 'dropped_pairs')!.value).toBe('1');
    expect(s.report.title).toBe('m');
    expect(s.report.verification!.far).toEqual([0.01, 0.1]);
    expect(s.report.identification!.far).toEqual([0.1]);
    // No scores kept: no classification plot.
    expect(s.report.classification).toBeUndefined();
  });

  it('leaves out what was not evaluated, and the k-fold accuracy when asked', () => {
    const s = evaluationSummary({ verification }, { kFold: false });
    expect(Object.keys(s.metrics)).toEqual([
      'auc',
      'eer',
      'tar@far=0.01',
      'tar@far=0.1',
      'pair_accuracy',
    ]);
    expect(s.report).toEqual({
      verification: { scores: verification.scores, labels: verification.labels, far: [0.01, 0.1] },
    });
    expect(evaluationSummary({}).rows).toEqual([]);
  });
});

describe('metric losses by name', () => {
  it("parses '+'-joined registered names, each once", () => {
    expect(parseMetricLosses('triplet+center')).toEqual(['triplet', 'center']);
    expect(parseMetricLosses('contrastive')).toEqual(['contrastive']);
    for (const bad of ['', 'tripplet', 'triplet+triplet', 'triplet+'])
      expect(() => parseMetricLosses(bad), bad).toThrow(/registered metric losses joined by '\+'/);
  });

  it("keeps triplet and center on the recipe's shorthand (same run config), others as terms", () => {
    expect(metricLossOptions(['triplet', 'center'], { miner: 'batch-hard' })).toEqual({
      triplet: { miner: 'batch-hard' },
      center: { lambda: METRIC_CENTER_LAMBDA },
    });
    expect(metricLossOptions(['center'], { margin: 0.3 })).toEqual({
      triplet: false,
      center: { lambda: 0.01 },
    });
    const terms = metricLossOptions(['contrastive', 'triplet'], { margin: 0.3 });
    expect(terms).toEqual({
      losses: [{ kind: 'contrastive' }, { kind: 'triplet', options: { margin: 0.3 } }],
    });
    const data = faces(4, 4);
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 4 });
    const run = metricRecipe({ backbone, train: data, epochs: 1, p: 2, k: 2, ...terms });
    expect((run.config as { losses: { kind: string }[] }).losses.map((t) => t.kind)).toEqual([
      'contrastive',
      'triplet',
    ]);
    run.dispose();
    backbone.dispose();
  });

  it('names the fine-tuning preset once', () => {
    expect(FINE_TUNE_PRESET).toMatchObject({ lr: 3e-4, backboneLrScale: 0.1, headLrScale: 10 });
    expect(Object.isFrozen(FINE_TUNE_PRESET)).toBe(true);
  });
});
