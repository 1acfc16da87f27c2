import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@face/test-support';
import {
  ArcFace,
  CenterLoss,
  CombinedMargin,
  CosFace,
  type MarginHead,
  NormalizedSoftmax,
  SphereFace,
  tripletLoss,
  tripletMarginLoss,
} from '@face/losses';
import { allFinite } from './helpers';

const D = 4;
const C = 3;
const heads = (): MarginHead[] => [
  new NormalizedSoftmax({ embeddingDim: D, numClasses: C }),
  new CosFace({ embeddingDim: D, numClasses: C }),
  new ArcFace({ embeddingDim: D, numClasses: C }),
  new ArcFace({ embeddingDim: D, numClasses: C, easyMargin: true }),
  new CombinedMargin({ embeddingDim: D, numClasses: C, m1: 1.2 }),
  new SphereFace({ embeddingDim: D, numClasses: C }),
];

/** Loss and gradients with respect to the embeddings and the class weights. */
function lossAndGrads(head: MarginHead, x: tf.Tensor2D, labels: number[]) {
  const xv = tf.variable(x);
  const { value, grads } = tf.variableGrads(
    () => head.loss(xv, labels, { training: false }),
    [xv, head.weight],
  );
  const out = { value, gx: grads[xv.name], gw: grads[head.weight.name] };
  xv.dispose();
  return out;
}

describe('margin heads stay finite at the edges', () => {
  it.each(heads().map((h) => [h.className + JSON.stringify(h.getConfig()), h] as const))(
    'cosine exactly +1 and -1, a zero embedding, a zero class column: %s',
    (_name, head) => {
      const w = head.weight.arraySync();
      const column = (j: number, sign: number) => w.map((row) => sign * row[j]);
      // rows 0/1: exactly the class column (cos = +1) and its negation (cos = -1);
      // row 2: zero; labels at both ends of the range
      const x = tf.tensor2d([column(0, 1), column(C - 1, -1), [0, 0, 0, 0]]);
      const labels = [0, C - 1, C - 1];
      const { value, gx, gw } = lossAndGrads(head, x, labels);
      expect(allFinite(value)).toBe(true);
      expect(allFinite(gx)).toBe(true);
      expect(allFinite(gw)).toBe(true);
      const cos = head.cosine(x);
      expectClose((cos.arraySync() as number[][])[0][0], 1, { atol: 1e-6 });
      expectClose((cos.arraySync() as number[][])[1][C - 1], -1, { atol: 1e-6 });
      expect((cos.arraySync() as number[][])[2]).toEqual([0, 0, 0]);
      // a zero class column: cosine 0 with everything, still finite
      const zeroed = tf.tensor2d(w.map((row) => [0, ...row.slice(1)]));
      head.setWeights([zeroed]);
      const again = lossAndGrads(head, x, labels);
      expect(allFinite(again.value) && allFinite(again.gx) && allFinite(again.gw)).toBe(true);
      tf.dispose([x, value, gx, gw, cos, zeroed, again.value, again.gx, again.gw]);
      head.dispose();
    },
  );

  it('ArcFace target logit: s cos(m) at theta = 0 and s (-1 - m sin m) at theta = pi', () => {
    const head = new ArcFace({ embeddingDim: D, numClasses: C, scale: 64, margin: 0.5 });
    const w = head.weight.arraySync();
    const x = tf.tensor2d([w.map((r) => r[1]), w.map((r) => -r[1])]);
    const logits = head.logits(x, [1, 1]).arraySync() as number[][];
    expectClose(logits[0][1], 64 * Math.cos(0.5), { rtol: 1e-5 });
    expectClose(logits[1][1], 64 * (-1 - 0.5 * Math.sin(0.5)), { rtol: 1e-5 });
    tf.dispose(x);
    head.dispose();
  });

  it('the ArcFace target logit never increases with theta (the fallback keeps it monotonic)', () => {
    const head = new ArcFace({ embeddingDim: 2, numClasses: 2, scale: 1, margin: 0.5 });
    const e = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    head.setWeights([e]);
    const angles = Array.from({ length: 181 }, (_, i) => (i * Math.PI) / 180);
    const x = tf.tensor2d(angles.map((a) => [Math.cos(a), Math.sin(a)]));
    const target = (head.logits(x, new Array(181).fill(0)).arraySync() as number[][]).map(
      (r) => r[0],
    );
    for (let i = 1; i < target.length; i++)
      expect(target[i]).toBeLessThanOrEqual(target[i - 1] + 1e-6);
    tf.dispose([e, x]);
    head.dispose();
  });
});

describe('metric losses stay finite at the edges', () => {
  it('triplets with identical anchor and positive, and a zero embedding', () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [1, 2, 3],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    for (const distance of ['euclidean', 'squaredEuclidean', 'cosine'] as const) {
      const { value, grad } = tf.valueAndGrad((e: tf.Tensor2D) =>
        tripletLoss(e, [0, 0, 1, 1], { distance }),
      )(x);
      expect(allFinite(value) && allFinite(grad)).toBe(true);
      const a = tf.slice(x, [0, 0], [2, 3]) as tf.Tensor2D;
      const n = tf.slice(x, [2, 0], [2, 3]) as tf.Tensor2D;
      const grads = tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) =>
        tripletMarginLoss(p as tf.Tensor2D, q as tf.Tensor2D, r as tf.Tensor2D, { distance }),
      )([a, a, n]);
      expect(grads.every(allFinite)).toBe(true);
      tf.dispose([value, grad, a, n, ...grads]);
    }
    tf.dispose(x);
  });

  it('center loss with an embedding exactly at its center', () => {
    const loss = new CenterLoss({ numClasses: 2, embeddingDim: 3, learnable: true });
    const x = tf.zeros([2, 3]) as tf.Tensor2D;
    const { value, grads } = tf.variableGrads(() => loss.loss(x, [0, 1]), [loss.centers]);
    expect(value.dataSync()[0]).toBe(0);
    expect(allFinite(grads[loss.centers.name])).toBe(true);
    tf.dispose([x, value, ...Object.values(grads)]);
    loss.dispose();
  });
});
