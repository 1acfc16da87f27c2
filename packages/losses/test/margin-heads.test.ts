import { afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, loadFixture } from '@face/test-support';
import {
  ArcFace,
  CosFace,
  type MarginHead,
  marginHeadFromConfig,
  type SerializedMarginHead,
  serializeMarginHead,
  SphereFace,
} from '@face/losses';
import { expectGradClose, expectValuesClose } from './helpers';

interface HeadCase {
  className: SerializedMarginHead['className'];
  config: Record<string, number | boolean>;
  iteration: number;
  labelSmoothing: number;
  inferenceLogits: number[][];
  logits: number[][];
  perSample: number[];
  loss: number;
  gradEmbeddings: number[][];
  gradWeight: number[][];
}
interface HeadsFixture {
  embeddingDim: number;
  numClasses: number;
  weight: number[][];
  embeddings: number[][];
  labels: number[];
  cases: HeadCase[];
  zeroEmbedding: { embeddings: number[][]; cases: HeadCase[] };
}

const fx = loadFixture<HeadsFixture>(import.meta.url, 'heads');
let live: tf.Tensor[] = [];
afterEach(() => {
  tf.dispose(live);
  live = [];
});

function build(c: HeadCase): MarginHead {
  const head = marginHeadFromConfig({
    className: c.className,
    config: { embeddingDim: fx.embeddingDim, numClasses: fx.numClasses, ...c.config },
  } as SerializedMarginHead);
  const w = tf.tensor2d(fx.weight);
  head.setWeights([w]);
  w.dispose();
  if (c.iteration) head.setState({ iteration: c.iteration });
  return head;
}

const label = (c: HeadCase) =>
  `${c.className} ${JSON.stringify(c.config)} t=${c.iteration} e=${c.labelSmoothing}`;

describe('margin heads against the PyTorch reference (scale 64, angles near 0 and pi, norms 1e-6..1e4)', () => {
  it.each(fx.cases.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const head = build(c);
    const x = tf.variable(tf.tensor2d(fx.embeddings), true);
    live.push(x);
    const logits = head.logits(x, fx.labels);
    const plain = head.logits(x);
    const perSample = head.loss(x, fx.labels, {
      labelSmoothing: c.labelSmoothing,
      reduction: 'none',
      training: false,
    });
    live.push(logits, plain, perSample);
    expectValuesClose(logits, c.logits, 'margin logits');
    expectValuesClose(plain, c.inferenceLogits, 'inference logits');
    expectValuesClose(perSample, c.perSample, 'per-sample loss');

    const { value, grads } = tf.variableGrads(
      () => head.loss(x, fx.labels, { labelSmoothing: c.labelSmoothing, training: false }),
      [x, head.weight],
    );
    live.push(value, ...Object.values(grads));
    expectValuesClose(value, c.loss, 'mean loss');
    expectGradClose(grads[x.name], c.gradEmbeddings, fx.embeddings, 1, 'dL/dx');
    expectGradClose(grads[head.weight.name], c.gradWeight, fx.weight, 0, 'dL/dW');
    head.dispose();
  });

  it.each(fx.zeroEmbedding.cases.map((c) => [label(c), c] as const))(
    'a zero embedding has cosine 0 to every class (F.normalize semantics): %s',
    (_name, c) => {
      const head = build(c);
      const x = tf.tensor2d(fx.zeroEmbedding.embeddings);
      const logits = head.logits(x, fx.labels);
      const perSample = head.loss(x, fx.labels, { reduction: 'none', training: false });
      live.push(x, logits, perSample);
      expectValuesClose(logits, c.logits, 'margin logits');
      expectValuesClose(perSample, c.perSample, 'per-sample loss');
      head.dispose();
    },
  );
});

describe('SphereFace lambda annealing', () => {
  it('follows max(lambdaMin, base (1 + gamma t)^-power) and advances once per training loss()', () => {
    const c = fx.cases.find((k) => k.className === 'SphereFace') as HeadCase;
    const head = build(c) as MarginHead & { lambda: number; iteration: number };
    expect(head.lambda).toBe(1000);
    const x = tf.tensor2d(fx.embeddings);
    live.push(x);
    live.push(head.loss(x, fx.labels, { training: false }));
    expect(head.iteration).toBe(0);
    live.push(head.loss(x, fx.labels));
    live.push(head.loss(x, fx.labels));
    expect(head.getState()).toEqual({ iteration: 2 });
    expect(head.lambda).toBeCloseTo(1000 / (1 + 0.12 * 2), 10);
    head.setState({ iteration: 1e6 });
    expect(head.lambda).toBe(5);
    head.dispose();
  });
});

describe('checkpoint interface', () => {
  it('config, weights and state round-trip through JSON into a fresh head', () => {
    const c = fx.cases.find((k) => k.className === 'SphereFace' && k.iteration === 10) as HeadCase;
    const head = build(c);
    const x = tf.tensor2d(fx.embeddings);
    const before = head.logits(x, fx.labels);
    const saved = JSON.parse(JSON.stringify(serializeMarginHead(head))) as SerializedMarginHead;
    const state = JSON.parse(JSON.stringify(head.getState())) as object;
    const weights = head.getWeights();
    head.dispose(); // frees the variable name for the restored head
    const restored = marginHeadFromConfig(saved);
    restored.setWeights(weights);
    restored.setState(state);
    const after = restored.logits(x, fx.labels);
    expectClose(after, before, { rtol: 0, atol: 0 });
    expect(restored.getConfig()).toEqual(saved.config);
    expect(restored.weight.shape).toEqual([fx.embeddingDim, fx.numClasses]);
    expect(restored.trainableVariables).toEqual([restored.weight]);
    live.push(x, before, after, ...weights);
    restored.dispose();
  });

  it('an optimizer trains the class weights; SphereFace advances once per step', () => {
    const x = tf.tensor2d(fx.embeddings);
    const optimizer = tf.train.sgd(0.01);
    const arc = new ArcFace({ embeddingDim: fx.embeddingDim, numClasses: fx.numClasses, seed: 3 });
    const first = arc.loss(x, fx.labels);
    for (let i = 0; i < 5; i++)
      optimizer.minimize(() => arc.loss(x, fx.labels), false, arc.trainableVariables);
    const last = arc.loss(x, fx.labels);
    expect(last.dataSync()[0]).toBeLessThan(first.dataSync()[0]);
    const sphere = new SphereFace({ embeddingDim: fx.embeddingDim, numClasses: fx.numClasses });
    for (let i = 0; i < 3; i++)
      optimizer.minimize(() => sphere.loss(x, fx.labels), false, sphere.trainableVariables);
    expect(sphere.iteration).toBe(3);
    live.push(x, first, last);
    optimizer.dispose();
    arc.dispose();
    sphere.dispose();
  });

  it('the same seed gives the same initial weights, another seed others', () => {
    const [a, b, c] = [0, 0, 1].map(
      (seed) => new CosFace({ embeddingDim: 3, numClasses: 2, seed }),
    );
    expectClose(a.weight, b.weight.arraySync(), { rtol: 0, atol: 0 });
    expect(a.weight.arraySync()).not.toEqual(c.weight.arraySync());
    [a, b, c].forEach((h) => h.dispose());
  });
});
