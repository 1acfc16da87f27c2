import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { loadFixture } from '@face/test-support';
import { crossEntropy, klDivergence } from '@face/losses';
import { expectValuesClose } from './helpers';
import { expectClose } from '@face/test-support';

interface Fixture {
  crossEntropy: {
    logits: number[][];
    labels: number[];
    probabilities: number[][];
    cases: {
      smoothing: number;
      target: 'labels' | 'probabilities';
      perSample: number[];
      mean: number;
      sum: number;
      gradMean: number[][];
    }[];
  };
  kl: {
    logProbs: number[][];
    target: number[][];
    probTarget: KlCase;
    logTarget: KlCase;
  };
}
interface KlCase {
  target: number[][];
  none: number[][];
  batchmean: number;
  sum: number;
  mean: number;
  gradBatchmean: number[][];
}
const fx = loadFixture<Fixture>(import.meta.url, 'classification');

describe('crossEntropy against PyTorch (F.cross_entropy semantics, label smoothing e / C)', () => {
  const ce = fx.crossEntropy;
  it.each(ce.cases.map((c) => [`${c.target} e=${c.smoothing}`, c] as const))('%s', (_name, c) => {
    const logits = tf.tensor2d(ce.logits);
    const target = c.target === 'labels' ? ce.labels : tf.tensor2d(ce.probabilities);
    const options = { labelSmoothing: c.smoothing };
    const per = crossEntropy(logits, target, { ...options, reduction: 'none' });
    const sum = crossEntropy(logits, target, { ...options, reduction: 'sum' });
    const { value, grad } = tf.valueAndGrad((z: tf.Tensor2D) => crossEntropy(z, target, options))(
      logits,
    );
    expectValuesClose(per, c.perSample, 'per-sample');
    expectValuesClose(sum, c.sum, 'sum');
    expectValuesClose(value, c.mean, 'mean');
    expectClose(grad, c.gradMean, { rtol: 1e-4, atol: 1e-7, what: 'dL/dz' });
    tf.dispose([logits, per, sum, value, grad, ...(target instanceof tf.Tensor ? [target] : [])]);
  });

  it('accepts labels as an Int32Array or an int32 tensor', () => {
    const logits = tf.tensor2d(ce.logits);
    const fromArray = crossEntropy(logits, ce.labels);
    const fromTyped = crossEntropy(logits, Int32Array.from(ce.labels));
    const labels = tf.tensor1d(ce.labels, 'int32');
    const fromTensor = crossEntropy(logits, labels);
    expect(fromTyped.dataSync()[0]).toBe(fromArray.dataSync()[0]);
    expect(fromTensor.dataSync()[0]).toBe(fromArray.dataSync()[0]);
    tf.dispose([logits, fromArray, fromTyped, labels, fromTensor]);
  });
});

describe('klDivergence against PyTorch (F.kl_div(input = log-probs, target))', () => {
  it.each([
    ['probability target', false],
    ['log target', true],
  ] as const)('%s, with zero-probability entries', (_name, logTarget) => {
    const c = logTarget ? fx.kl.logTarget : fx.kl.probTarget;
    const logProbs = tf.tensor2d(fx.kl.logProbs);
    const target = tf.tensor2d(c.target);
    const none = klDivergence(logProbs, target, { reduction: 'none', logTarget });
    expectClose(none, c.none, { rtol: 1e-5, atol: 1e-7, what: 'pointwise' });
    for (const reduction of ['sum', 'mean'] as const) {
      const v = klDivergence(logProbs, target, { reduction, logTarget });
      expectValuesClose(v, c[reduction], reduction);
      v.dispose();
    }
    const { value, grad } = tf.valueAndGrad((x: tf.Tensor2D) =>
      klDivergence(x, target, { logTarget }),
    )(logProbs);
    expectValuesClose(value, c.batchmean, 'batchmean (default)');
    expectClose(grad, c.gradBatchmean, { rtol: 1e-4, atol: 1e-8, what: 'dKL/dinput' });
    expect(Array.from(none.dataSync()).every(Number.isFinite)).toBe(true);
    tf.dispose([logProbs, target, none, value, grad]);
  });
});
