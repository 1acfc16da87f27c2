import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { CosFace, MARGIN_HEAD_KEYS, registerMarginHead, registerMetricLoss } from '@face/losses';
import {
  HEAD_KINDS,
  MINER_KINDS,
  classifierHead,
  classifierHeadFromJson,
  metricRecipe,
} from '@face/recipes';
import type { FitResult, JsonValue } from '@face/train';
import { tinyBackbone, tinyData } from './helpers/tiny';

const sizes = { embeddingDim: 4, numClasses: 3, seed: 2 };

describe('head and miner names come from the registries of @face/losses', () => {
  it('keeps the names and order the recipes and the CLI had', () => {
    expect([...HEAD_KINDS]).toEqual([
      'linear',
      'cosine',
      'arcface',
      'cosface',
      'sphereface',
      'combined',
    ]);
    expect([...MINER_KINDS]).toEqual(['batch-hard', 'semi-hard', 'hard', 'all']);
  });

  it('which head takes scale or margin is read from the registered class', () => {
    const expectArg = (f: () => unknown, pattern: RegExp) => {
      expect(f).toThrow(InvalidArgumentError);
      expect(f).toThrow(pattern);
    };
    expectArg(
      () => classifierHead('combined', { ...sizes, margin: 0.3 }),
      /options\.margin must be undefined: 'combined' has no margin \(its options: scale, m1, m2, m3\)/,
    );
    expectArg(
      () => classifierHead('linear', { ...sizes, scale: 8 }),
      /'linear' has no scale \(its options: none\)/,
    );
    expectArg(() => classifierHead('sphereface', { ...sizes, scale: 8 }), /options\.scale/);
    expectArg(() => classifierHead('cosine', { ...sizes, margin: 0.1 }), /'cosine' has no margin/);
    // the registry's alias is for saved models, not for names
    expectArg(() => classifierHead('ArcFace', sizes), /kind must be one of 'linear', 'cosine'/);
    const head = classifierHead('cosface', { ...sizes, scale: 8, margin: 0.2 });
    expect(head.toJson()).toMatchObject({
      kind: 'margin',
      className: 'CosFace',
      config: { scale: 8, margin: 0.2 },
    });
    head.dispose();
  });

  // What saved models and checkpoints hold today (face-model.json's head, a checkpoint's config).
  const saved: Record<string, JsonValue>[] = [
    { kind: 'margin', className: 'NormalizedSoftmax', config: { ...sizes, scale: 16 } },
    { kind: 'margin', className: 'CosFace', config: { ...sizes, scale: 16, margin: 0.3 } },
    {
      kind: 'margin',
      className: 'ArcFace',
      config: { ...sizes, scale: 16, margin: 0.4, easyMargin: false },
    },
    {
      kind: 'margin',
      className: 'SphereFace',
      config: { ...sizes, margin: 2, base: 10, gamma: 0.1, power: 1, lambdaMin: 5 },
    },
    {
      kind: 'margin',
      className: 'CombinedMargin',
      config: { ...sizes, scale: 16, m1: 1, m2: 0.3, m3: 0.1 },
    },
    { kind: 'linear', embeddingDim: 4, numClasses: 3, seed: 2 },
  ];
  it.each(saved.map((j) => [String(j.className ?? j.kind), j] as const))(
    '%s: the current serialized head loads and writes the same JSON back',
    (_n, json) => {
      const head = classifierHeadFromJson(json);
      expect(head.toJson()).toEqual(json);
      head.dispose();
    },
  );

  it('a head registered later appears in HEAD_KINDS (the same array) and builds by name', () => {
    const kinds = HEAD_KINDS;
    class TightCosFace extends CosFace {
      static override readonly className: string = 'TightCosFace';
    }
    registerMarginHead('tight-cosface', TightCosFace);
    expect(kinds).toBe(HEAD_KINDS);
    expect(HEAD_KINDS.at(-1)).toBe('tight-cosface');
    const head = classifierHead('tight-cosface', { ...sizes, margin: 0.6 });
    expect(head.kind).toBe('TightCosFace');
    const json = head.toJson();
    const loaded = classifierHeadFromJson(json);
    expect(loaded.toJson()).toEqual(json);
    expect(loaded.variables[0].variable.dataSync()).toEqual(head.variables[0].variable.dataSync());
    expect(MARGIN_HEAD_KEYS.every((k) => TightCosFace.configKeys.includes(k))).toBe(true);
    head.dispose();
    loaded.dispose();
  });
});

describe('metricRecipe built from loss terms', () => {
  const data = tinyData({ identities: 6, unseen: 2, images: 4, pairs: 8 });
  const fit = async (options: Partial<Parameters<typeof metricRecipe>[0]>) => {
    const backbone = tinyBackbone({ filters: [4], embeddingDim: 8, seed: 5 });
    const run = metricRecipe({
      backbone,
      train: data.train,
      epochs: 1,
      p: 3,
      k: 2,
      seed: 1,
      ...options,
    });
    const names = run.trainer.stateVariables
      .map((v) => v.name)
      .filter((n) => !n.startsWith('tiny.'));
    const config = run.config;
    const result: FitResult = await run.fit();
    run.dispose();
    backbone.dispose();
    return { result, names, config };
  };

  it('the shorthand and the same terms as `losses` train identically', async () => {
    const old = await fit({ triplet: { margin: 0.3, weight: 0.5 }, center: { lambda: 0.1 } });
    const terms = await fit({
      losses: [
        { kind: 'triplet', weight: 0.5, options: { margin: 0.3 } },
        { kind: 'center', weight: 1, options: { lambda: 0.1 } },
      ],
    });
    const logs = (r: FitResult) =>
      r.history.map(({ loss, triplet, center }) => [loss, triplet, center]);
    expect(logs(terms.result)).toEqual(logs(old.result));
    expect(Number.isFinite(old.result.history[0].loss)).toBe(true);
    expect(old.names).toEqual(['center/centers']);
    expect(terms.names).toEqual(['center/centers']);
    // the shorthand keeps the config (fingerprint) its runs were written with: they resume
    expect(old.config).toMatchObject({
      triplet: { margin: 0.3, weight: 0.5, miner: 'batch-hard' },
      center: { lambda: 0.1, alpha: 0.5, learnable: false },
    });
    expect(terms.config).toMatchObject({
      losses: [
        { kind: 'triplet', name: 'triplet', weight: 0.5, margin: 0.3, miner: 'batch-hard' },
        { kind: 'center', name: 'center', weight: 1, lambda: 0.1, alpha: 0.5, learnable: false },
      ],
    });
  });

  it('takes any registered metric loss, weighted, and a loss registered in one line', async () => {
    registerMetricLoss('norm-pull', () => ({
      loss: (e) => tf.mean(tf.sum(tf.square(e), 1)) as tf.Scalar,
      variables: [],
      getConfig: () => ({}),
      dispose: () => {},
    }));
    const { result } = await fit({
      losses: [
        { kind: 'contrastive', weight: 1, options: { margin: 0.8 } },
        { kind: 'norm-pull', weight: 0.25 },
      ],
    });
    const last = result.history[0];
    expect(last.loss).toBeCloseTo(last.contrastive + last['norm-pull'], 4);
    expect(last['norm-pull']).toBeGreaterThan(0);
  });

  it('bad terms name the argument', () => {
    const backbone = tinyBackbone({ filters: [2], embeddingDim: 4 });
    const make = (o: object) => () =>
      metricRecipe({ backbone, train: data.train, epochs: 1, p: 2, ...o });
    expect(make({ losses: [{ kind: 'arcface' }] })).toThrow(
      /metricRecipe: losses\[0\]\.kind must be one of triplet, contrastive, center/,
    );
    expect(make({ losses: [{ kind: 'triplet' }, { kind: 'triplet' }] })).toThrow(
      /losses\[1\]\.name/,
    );
    expect(make({ losses: [{ kind: 'triplet', weight: -1 }] })).toThrow(/losses\[0\]\.weight/);
    expect(make({ losses: [{ kind: 'triplet', options: { miner: 'semihard' } }] })).toThrow(
      /losses\[0\]\.options\.miner must be one of batch-hard/,
    );
    expect(make({ losses: [{ kind: 'triplet' }], triplet: {} })).toThrow(
      /absent when losses is given/,
    );
    expect(make({ losses: [] })).toThrow(/losses must be a non-empty array/);
    expect(make({ triplet: { miner: 'batchHard' } })).toThrow(/triplet\.miner/);
    backbone.dispose();
  });
});
