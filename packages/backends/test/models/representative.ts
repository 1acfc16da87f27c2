/**
 * Stand-ins for @face/layers' backbones (until they land), built from plain tfjs-core ops so
 * they run on any backend with only tfjs-core: what training a face model asks of a backend.
 * - `mobilefacenet`: Chen et al., "MobileFaceNets", 2018, Table 1: conv 3x3/2, depthwise 3x3,
 *   inverted-residual bottlenecks (expansion t, channels c, repeats n, stride s), conv 1x1,
 *   GDC (a linear depthwise conv over the whole map), linear 1x1 to the embedding.
 * - `iresnet`: Deng et al., "ArcFace", 2019 (IResNet, insightface's improved residual block
 *   BN-conv-BN-PReLU-conv-BN, downsampling 1x1 shortcut), flatten + dense + BN embedding.
 * BatchNorm uses batch statistics (training mode); the head is CosFace-style cosine logits
 * (Wang et al., 2018: s * (cos - m) at the target) plus a small center-loss term through gather.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@face/core';

export interface Bottleneck {
  /** Expansion, output channels, repeats, first stride. */
  t: number;
  c: number;
  n: number;
  s: number;
}

export type ModelSpec =
  | {
      kind: 'mobilefacenet';
      input: number;
      stem: number;
      /** Depth multiplier of the stem's depthwise conv (1 in the paper). */
      stemMultiplier?: number;
      bottlenecks: Bottleneck[];
      last: number;
      embedding: number;
      classes: number;
    }
  | {
      kind: 'iresnet';
      input: number;
      stem: number;
      stages: { c: number; n: number }[];
      /** 'flatten' as in IResNet, or global average pooling. */
      pool?: 'flatten' | 'average';
      embedding: number;
      classes: number;
    };

/** MobileFaceNet as published (0.99 M parameters at 112x112). */
export const MOBILEFACENET = (input: number, classes: number): ModelSpec => ({
  kind: 'mobilefacenet',
  input,
  stem: 64,
  bottlenecks: [
    { t: 2, c: 64, n: 5, s: 2 },
    { t: 4, c: 128, n: 1, s: 2 },
    { t: 2, c: 128, n: 6, s: 1 },
    { t: 4, c: 128, n: 1, s: 2 },
    { t: 2, c: 128, n: 2, s: 1 },
  ],
  last: 512,
  embedding: 128,
  classes,
});

/** IResNet-18: stages of 2 blocks at 64, 128, 256, 512 channels. */
export const IRESNET18 = (input: number, classes: number): ModelSpec => ({
  kind: 'iresnet',
  input,
  stem: 64,
  stages: [
    { c: 64, n: 2 },
    { c: 128, n: 2 },
    { c: 256, n: 2 },
    { c: 512, n: 2 },
  ],
  embedding: 512,
  classes,
});

export interface Model {
  spec: ModelSpec;
  variables: tf.Variable[];
  /** Embedding [N, embedding] of images [N, input, input, 3]. */
  embed(x: tf.Tensor4D): tf.Tensor2D;
  /** Mean loss of a batch: CosFace cross-entropy + 0.01 * center loss. */
  loss(x: tf.Tensor4D, labels: tf.Tensor1D): tf.Scalar;
  /** Multiply-accumulates of one forward pass of one image (convs and dense). */
  macs: number;
}

export function buildModel(spec: ModelSpec, seed = 1): Model {
  const rng = new Rng(seed);
  const variables: tf.Variable[] = [];
  let macs = 0;
  const param = (shape: number[], init: (fanIn: number) => () => number, fanIn = 1) => {
    const draw = init(fanIn);
    const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, draw);
    const initial = tf.tensor(values, shape);
    const v = tf.variable(initial, true, `p${variables.length}`);
    initial.dispose();
    variables.push(v);
    return v;
  };
  const he = (fanIn: number) => () => rng.normal(0, Math.sqrt(2 / fanIn));
  const constant = (c: number) => () => () => c;

  type Op = (x: tf.Tensor4D) => tf.Tensor4D;
  let size = spec.input;
  let channels = 3;
  const conv = (out: number, k: number, s: number, pad: 'same' | 'valid' = 'same'): Op => {
    const w = param([k, k, channels, out], he, k * k * channels);
    size = pad === 'same' ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1;
    macs += size * size * k * k * channels * out;
    channels = out;
    return (x) => tf.conv2d(x, w as tf.Tensor4D, s, pad);
  };
  const depthwise = (k: number, s: number, m = 1, pad: 'same' | 'valid' = 'same'): Op => {
    const w = param([k, k, channels, m], he, k * k);
    size = pad === 'same' ? Math.ceil(size / s) : Math.floor((size - k) / s) + 1;
    macs += size * size * k * k * channels * m;
    channels *= m;
    return (x) => tf.depthwiseConv2d(x, w as tf.Tensor4D, s, pad);
  };
  const batchNorm = (): Op => {
    const gamma = param([channels], constant(1));
    const beta = param([channels], constant(0));
    return (x) => {
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return tf.batchNorm(x, mean, variance, beta, gamma, 1e-5) as tf.Tensor4D;
    };
  };
  const prelu = (): Op => {
    const alpha = param([channels], constant(0.25));
    return (x) => tf.prelu(x, alpha as tf.Tensor as tf.Tensor4D);
  };
  const chain =
    (...ops: Op[]): Op =>
    (x) =>
      ops.reduce((y, op) => op(y), x);

  let body: Op;
  let pooled: (x: tf.Tensor4D) => tf.Tensor2D;
  if (spec.kind === 'mobilefacenet') {
    const ops: Op[] = [conv(spec.stem, 3, 2), batchNorm(), prelu()];
    ops.push(depthwise(3, 1, spec.stemMultiplier ?? 1), batchNorm(), prelu());
    for (const { t, c, n, s } of spec.bottlenecks) {
      for (let i = 0; i < n; i++) {
        const cin = channels;
        const stride = i === 0 ? s : 1;
        const block = chain(
          conv(cin * t, 1, 1),
          batchNorm(),
          prelu(),
          depthwise(3, stride),
          batchNorm(),
          prelu(),
          conv(c, 1, 1),
          batchNorm(),
        );
        ops.push(stride === 1 && cin === c ? (x) => tf.add(x, block(x)) : block);
      }
    }
    ops.push(conv(spec.last, 1, 1), batchNorm(), prelu());
    ops.push(depthwise(size, 1, 1, 'valid'), batchNorm()); // GDC
    ops.push(conv(spec.embedding, 1, 1), batchNorm());
    body = chain(...ops);
    pooled = (x) => tf.reshape(x, [x.shape[0], spec.embedding]);
  } else {
    const ops: Op[] = [conv(spec.stem, 3, 1), batchNorm(), prelu()];
    for (const { c, n } of spec.stages) {
      for (let i = 0; i < n; i++) {
        const stride = i === 0 ? 2 : 1;
        const cin = channels;
        const start = size;
        const residual = chain(batchNorm(), conv(c, 3, 1), batchNorm(), prelu());
        const tail = chain(conv(c, 3, stride), batchNorm());
        let shortcut: Op = (x) => x;
        if (stride !== 1 || cin !== c) {
          [size, channels] = [start, cin];
          shortcut = chain(conv(c, 1, stride), batchNorm());
        }
        const block = chain(residual, tail);
        ops.push((x) => tf.add(block(x), shortcut(x)));
      }
    }
    ops.push(batchNorm());
    body = chain(...ops);
    const features = spec.pool === 'average' ? channels : size * size * channels;
    const dense = param([features, spec.embedding], he, features);
    macs += features * spec.embedding;
    const gamma = param([spec.embedding], constant(1));
    const beta = param([spec.embedding], constant(0));
    pooled = (x) => {
      const flat =
        spec.pool === 'average'
          ? tf.mean(x, [1, 2])
          : tf.reshape(x, [x.shape[0], x.shape[1] * x.shape[2] * x.shape[3]]);
      const e = tf.matMul(flat, dense);
      const { mean, variance } = tf.moments(e, [0]);
      return tf.batchNorm(e, mean, variance, beta, gamma, 1e-5) as tf.Tensor2D;
    };
  }
  const classWeights = param([spec.embedding, spec.classes], he, spec.embedding);
  const centers = param([spec.classes, spec.embedding], () => () => rng.normal(0, 0.1));
  macs += spec.embedding * spec.classes;

  const embed = (x: tf.Tensor4D) => pooled(body(x));
  const loss = (x: tf.Tensor4D, labels: tf.Tensor1D) =>
    tf.tidy(() => {
      const e = embed(x);
      const cos = tf.matMul(
        tf.div(e, tf.norm(e, 2, 1, true)),
        tf.div(classWeights, tf.norm(classWeights, 2, 0, true)),
      );
      const target = tf.oneHot(labels, spec.classes);
      const logits = tf.mul(64, tf.sub(cos, tf.mul(0.35, target)));
      const ce = tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), 1)));
      const center = tf.mean(tf.sum(tf.square(tf.sub(e, tf.gather(centers, labels))), 1));
      return tf.add(ce, tf.mul(0.01, center)) as tf.Scalar;
    });
  return { spec, variables, embed, loss, macs };
}

/** A seeded batch: images in [-1, 1] and labels. */
export function syntheticBatch(spec: ModelSpec, batch: number, seed = 2) {
  const rng = new Rng(seed);
  const images = Float32Array.from({ length: batch * spec.input * spec.input * 3 }, () =>
    rng.uniform(-1, 1),
  );
  const labels = Int32Array.from({ length: batch }, () => rng.int(spec.classes));
  return {
    x: tf.tensor4d(images, [batch, spec.input, spec.input, 3]),
    labels: tf.tensor1d(labels, 'int32'),
  };
}

/** One training step (forward, backward, optimizer); returns the loss. */
export function trainStep(
  model: Model,
  optimizer: tf.Optimizer,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
): number {
  const loss = optimizer.minimize(() => model.loss(x, labels), true, model.variables);
  const value = loss!.dataSync()[0];
  loss!.dispose();
  return value;
}
