import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@face/core';
import {
  ArcFace,
  CenterLoss,
  contrastiveLoss,
  distance,
  getMarginHead,
  getMetricLoss,
  getMiner,
  MARGIN_HEAD_KEYS,
  MarginHead,
  marginHeadFromConfig,
  marginHeadNames,
  metricLossNames,
  minerNames,
  registerMarginHead,
  registerMetricLoss,
  registerMiner,
  semiHardTripletsMiner,
  serializeMarginHead,
  tripletLoss,
  type MarginHeadConfig,
  type TargetAngle,
} from '@face/losses';

const sizes = { embeddingDim: 4, numClasses: 3 };

describe('margin head registry', () => {
  it('lists the built-in heads under the field names, and resolves their class names', () => {
    expect(marginHeadNames()).toEqual(['cosine', 'arcface', 'cosface', 'sphereface', 'combined']);
    const classNames = marginHeadNames().map((n) => getMarginHead(n).className);
    expect(classNames).toEqual([
      'NormalizedSoftmax',
      'ArcFace',
      'CosFace',
      'SphereFace',
      'CombinedMargin',
    ]);
    for (const name of marginHeadNames())
      expect(getMarginHead(getMarginHead(name).className)).toBe(getMarginHead(name));
    expect(getMarginHead('arcface').configKeys).toEqual([
      ...MARGIN_HEAD_KEYS,
      'scale',
      'margin',
      'easyMargin',
    ]);
  });

  it('an unknown name throws, listing the registered names', () => {
    expect(() => getMarginHead('arc-face')).toThrow(InvalidArgumentError);
    expect(() => getMarginHead('arc-face')).toThrow(
      /getMarginHead: name must be one of 'cosine', 'arcface', 'cosface', 'sphereface', 'combined', got "arc-face"/,
    );
  });

  // The serialized form saved models and checkpoints hold today: className as the class's name.
  const saved = [
    { className: 'NormalizedSoftmax', config: { ...sizes, seed: 1, scale: 30 } },
    { className: 'CosFace', config: { ...sizes, seed: 1, scale: 30, margin: 0.4 } },
    {
      className: 'ArcFace',
      config: { ...sizes, seed: 1, scale: 30, margin: 0.3, easyMargin: true },
    },
    {
      className: 'SphereFace',
      config: { ...sizes, seed: 1, margin: 3, base: 100, gamma: 0.1, power: 1, lambdaMin: 5 },
    },
    {
      className: 'CombinedMargin',
      config: { ...sizes, seed: 1, scale: 30, m1: 1, m2: 0.2, m3: 0.1 },
    },
  ] as const;

  it.each(saved.map((s) => [s.className, s] as const))(
    '%s: the current serialized form loads, and serializes back unchanged',
    (_n, s) => {
      const head = marginHeadFromConfig(s as never);
      expect(head.className).toBe(s.className);
      const again = serializeMarginHead(head);
      expect(again.className).toBe(s.className);
      const { name: _name, ...config } = again.config;
      expect(config).toEqual(s.config);
      head.dispose();
    },
  );

  it('an unknown class name throws, naming it', () => {
    expect(() => marginHeadFromConfig({ className: 'Arcface', config: sizes } as never)).toThrow(
      /marginHeadFromConfig: serialized.className must be a registered margin head .*got "Arcface"/,
    );
  });

  it('a subclass serializes under its own class name and loads back once registered', () => {
    class WideArcFace extends ArcFace {
      static override readonly className = 'WideArcFace';
    }
    const head = new WideArcFace({ ...sizes, margin: 0.7 });
    const { className, config } = serializeMarginHead(head);
    // without the variable-name prefix, which is unique per process (as @face/recipes saves it)
    const { name: _name, ...saved } = config;
    expect(className).toBe('WideArcFace');
    expect(() => marginHeadFromConfig({ className, config: saved })).toThrow(/"WideArcFace"/);
    registerMarginHead('wide-arcface', WideArcFace);
    expect(marginHeadNames()).toContain('wide-arcface');
    const loaded = marginHeadFromConfig({ className, config: saved });
    expect(loaded).toBeInstanceOf(WideArcFace);
    expect(loaded.getConfig()).toEqual({ ...head.getConfig(), name: loaded.name });
    head.dispose();
    loaded.dispose();
  });

  it('a head written from MarginHead itself registers in one line', () => {
    class Shifted extends MarginHead {
      static override readonly className = 'Shifted';
      static override readonly configKeys = [...MARGIN_HEAD_KEYS];
      constructor(config: MarginHeadConfig) {
        super('Shifted', config);
      }
      protected marginCosine(t: TargetAngle): tf.Tensor1D {
        return tf.sub(t.cosine, 0.5);
      }
      protected scaleLogits(c: tf.Tensor2D): tf.Tensor2D {
        return tf.mul(c, 10);
      }
      getConfig() {
        return this.baseConfig();
      }
    }
    registerMarginHead('shifted', Shifted);
    const head = getMarginHead('shifted').create({ ...sizes });
    const x = tf.tensor2d([[1, 0, 0, 0]]);
    const cos = head.cosine(x);
    const logits = head.logits(x, [0]);
    const c = cos.arraySync()[0];
    expect(logits.arraySync()[0]).toEqual([
      expect.closeTo(10 * (c[0] - 0.5), 4),
      expect.closeTo(10 * c[1], 4),
      expect.closeTo(10 * c[2], 4),
    ]);
    tf.dispose([x, cos, logits]);
    head.dispose();
  });

  it('refuses a taken name or class name, and a class without a className', () => {
    expect(() => registerMarginHead('arcface', ArcFace)).toThrow(
      /name must be a name not registered yet/,
    );
    class Again extends ArcFace {}
    // inherits className 'ArcFace', already an alias of 'arcface'
    expect(() => registerMarginHead('again', Again)).toThrow(
      /alias must be a name not registered yet.*"ArcFace"/,
    );
    expect(() => registerMarginHead('bad', {} as never)).toThrow(/registerMarginHead: cls must be/);
    expect(() => registerMarginHead('two words', ArcFace)).toThrow(
      /name must be a name of letters/,
    );
  });
});

describe('miner registry', () => {
  const x = tf.tensor2d([
    [0, 0],
    [0.1, 0],
    [1, 1],
    [1.2, 1],
    [0.3, 0.2],
  ]);
  const labels = [0, 0, 1, 1, 1];

  it('lists the miners under the field names; the old types resolve as aliases', () => {
    expect(minerNames()).toEqual(['batch-hard', 'semi-hard', 'hard', 'all']);
    expect(getMiner('semihard')).toBe(getMiner('semi-hard'));
    expect(getMiner('batchHard')).toBe(getMiner('batch-hard'));
    for (const name of minerNames())
      expect(getMiner(name).create({ lossMargin: 0.2 }).type).toBe(name);
    expect(() => getMiner('semi_hard')).toThrow(
      /getMiner: name must be one of 'batch-hard', 'semi-hard', 'hard', 'all', got "semi_hard"/,
    );
  });

  it('semi-hard mines up to the loss margin, as the function with that margin', () => {
    const byName = getMiner('semi-hard').create({ lossMargin: 0.5 });
    expect(byName.getConfig().margin).toBe(0.5);
    expect(byName.mine(x, labels)).toEqual(semiHardTripletsMiner({ margin: 0.5 }).mine(x, labels));
    // the others keep every triplet of their kind whatever the loss margin
    expect(getMiner('batch-hard').create({ lossMargin: 0.5 }).getConfig().margin).toBe(Infinity);
  });

  it('a miner registers in one line and is found by name', () => {
    registerMiner('first-negative', () => ({
      type: 'first-negative',
      mine: () => ({
        anchors: Int32Array.of(0),
        positives: Int32Array.of(1),
        negatives: Int32Array.of(2),
      }),
      getConfig: () => ({
        type: 'first-negative',
        margin: null,
        distance: { kind: 'euclidean', normalize: false },
      }),
    }));
    expect(minerNames()).toContain('first-negative');
    expect(getMiner('first-negative').create({ lossMargin: 0 }).mine(x, labels).negatives).toEqual(
      Int32Array.of(2),
    );
  });
});

describe('metric loss registry', () => {
  const ctx = { embeddingDim: 2, numClasses: 2 };
  const e = tf.tensor2d([
    [0, 1],
    [0.2, 1],
    [1, 0.1],
    [1, -0.3],
  ]);
  const y = Int32Array.from([0, 0, 1, 1]);
  const value = (t: tf.Tensor) => t.dataSync()[0];

  it('lists the built-in terms', () => {
    expect(metricLossNames()).toEqual(['triplet', 'contrastive', 'center']);
  });

  it('triplet and contrastive terms are the loss functions on L2-normalized embeddings', () => {
    const unit = distance('euclidean', { normalize: true });
    const before = tf.memory().numTensors;
    const triplet = getMetricLoss('triplet').create({ margin: 0.5, miner: 'all' }, ctx);
    const t1 = triplet.loss(e, y);
    const t2 = tripletLoss(e, y, { margin: 0.5, distance: unit });
    expect(value(t1)).toBeCloseTo(value(t2), 6);
    expect(triplet.getConfig()).toEqual({
      margin: 0.5,
      miner: 'all',
      distance: 'euclidean',
      normalize: true,
      softMargin: false,
    });
    const contrastive = getMetricLoss('contrastive').create(undefined, ctx);
    const c1 = contrastive.loss(e, y);
    const c2 = contrastiveLoss(e, y, { margin: 1, distance: unit });
    expect(value(c1)).toBeCloseTo(value(c2), 6);
    tf.dispose([t1, t2, c1, c2]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the center term holds its centers (state unless learnable) and disposes them', () => {
    const before = tf.memory().numTensors;
    const term = getMetricLoss('center').create({ alpha: 0.3, lambda: 2 }, ctx);
    expect(term.variables.map((v) => [v.name, v.trainable, v.variable.shape])).toEqual([
      ['centers', false, [2, 2]],
    ]);
    const l = term.loss(e, y);
    const ref = new CenterLoss({ ...ctx, alpha: 0.3, lambda: 2 });
    const r = ref.loss(e, y);
    expect(value(l)).toBeCloseTo(value(r), 6);
    expect(term.variables[0].variable.arraySync()).toEqual(ref.centers.arraySync());
    const learnable = getMetricLoss('center').create({ learnable: true }, ctx);
    expect(learnable.variables[0].trainable).toBe(true);
    tf.dispose([l, r]);
    ref.dispose();
    term.dispose();
    learnable.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('bad options name the argument; unknown miners list the names', () => {
    const at = { ...ctx, fn: 'metricRecipe', argument: 'losses[0].options' };
    expect(() => getMetricLoss('triplet').create({ margin: -1 }, at)).toThrow(
      /metricRecipe: losses\[0\]\.options\.margin must be/,
    );
    expect(() => getMetricLoss('triplet').create({ miner: 'semihard' }, at)).toThrow(
      /losses\[0\]\.options\.miner must be one of batch-hard, semi-hard, hard, all.*"semihard"/,
    );
    expect(() => getMetricLoss('contrastive').create({ margn: 1 } as never, at)).toThrow(
      /unknown option names/,
    );
    expect(() => getMetricLoss('arcface')).toThrow(
      /getMetricLoss: name must be one of 'triplet', 'contrastive', 'center'/,
    );
  });

  it('a metric loss registers in one line', () => {
    registerMetricLoss('spread', () => ({
      loss: (emb) => tf.mean(tf.square(emb)) as tf.Scalar,
      variables: [],
      getConfig: () => ({}),
      dispose: () => {},
    }));
    const l = getMetricLoss('spread').create(undefined, ctx).loss(e, y);
    expect(value(l)).toBeCloseTo((0 + 1 + 0.04 + 1 + 1 + 0.01 + 1 + 0.09) / 8, 6);
    l.dispose();
  });
});
