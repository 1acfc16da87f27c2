import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, Rng } from '@face/core';
import { expectClose } from '@face/test-support';
import {
  ArcFace,
  CenterLoss,
  CombinedMargin,
  crossEntropy,
  type MarginHead,
  TARGET_SUM_TOLERANCE,
} from '@face/losses';
import { allFinite } from './helpers';

/** The error `f` throws (a failure when it returns); tensors it returns are disposed. */
function thrown(f: () => unknown): Error {
  try {
    tf.dispose(f() as tf.Tensor);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('CenterLoss: a non-finite embedding leaves the centers as they were', () => {
  it.each([NaN, Infinity, -Infinity])('%s in one row of the batch', (bad) => {
    const loss = new CenterLoss({ numClasses: 3, embeddingDim: 2, alpha: 0.5 });
    const first = tf.tensor2d([
      [1, 2],
      [3, -1],
    ]);
    tf.dispose(loss.loss(first, [0, 1]));
    const before = loss.centers.arraySync();
    const tensors = tf.memory().numTensors;
    const poisoned = tf.tensor2d([
      [1, bad],
      [5, 5],
    ]);
    const value = loss.loss(poisoned, [0, 2]);
    // the loss says so (a training loop's NaN guard refuses the step) ...
    expect(Number.isFinite(value.dataSync()[0])).toBe(false);
    // ... and no center moved, not even class 2's, whose row was finite: the step did not happen
    expect(loss.centers.arraySync()).toEqual(before);
    tf.dispose([value, poisoned]);
    expect(tf.memory().numTensors).toBe(tensors);
    // the next finite batch updates as usual: c_0 += 0.5 (x - c_0) / 2
    const again = tf.tensor2d([[3, 4]]);
    tf.dispose(loss.loss(again, [0]));
    expectClose(loss.centers.arraySync()[0], [0.25 + 0.25 * 2.75, 0.5 + 0.25 * 3.5], {
      rtol: 1e-6,
    });
    expect(allFinite(loss.centers)).toBe(true);
    tf.dispose([first, again]);
    loss.dispose();
  });
});

describe('crossEntropy refuses probability targets that are not distributions', () => {
  const logits = () =>
    tf.tensor2d([
      [1, 2, 3],
      [0, -1, 4],
      [2, 2, 2],
    ]);
  const cases: [string, number[][], RegExp][] = [
    [
      'a negative entry (the loss would go negative)',
      [
        [0, 0, 1],
        [1.5, -0.5, 0],
        [0.2, 0.3, 0.5],
      ],
      /crossEntropy: target\[1\] must be probabilities \(no entry below 0\), got -0\.5/,
    ],
    [
      'a row summing to 0.7',
      [
        [0, 0, 1],
        [0.2, 0.3, 0.5],
        [0.2, 0.3, 0.2],
      ],
      /crossEntropy: the sum of target\[2\] must be 1 within 0\.001 .*got 0\.7/,
    ],
    [
      'unnormalized counts',
      [
        [2, 0, 1],
        [0, 0, 1],
        [0, 1, 0],
      ],
      /the sum of target\[0\] must be 1/,
    ],
    [
      'a NaN entry',
      [
        [0, 0, 1],
        [0, 0, 1],
        [NaN, 0, 1],
      ],
      /target\[2\]/,
    ],
    [
      'a sum just outside the tolerance',
      [
        [0, 0, 1 + 2 * TARGET_SUM_TOLERANCE],
        [0, 0, 1],
        [0, 0, 1],
      ],
      /the sum of target\[0\] must be 1/,
    ],
  ];
  it.each(cases)('%s', (_name, rows, message) => {
    const z = logits();
    const t = tf.tensor2d(rows);
    const tensors = tf.memory().numTensors;
    const error = thrown(() => crossEntropy(z, t));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toMatch(message);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([z, t]);
  });

  it('accepts softmax rows over 10^5 classes and sums within the tolerance', () => {
    const rng = new Rng(5);
    const z = tf.tensor2d(
      Array.from({ length: 2 * 100_000 }, () => 10 * rng.normal(0, 1)),
      [2, 100_000],
    );
    const soft = tf.tidy(() => tf.softmax(tf.mul(z, 0.5)) as tf.Tensor2D);
    // float32 round-off of the row sums is well inside the tolerance
    const sums = tf.sum(soft, 1);
    for (const s of sums.dataSync())
      expect(Math.abs(s - 1)).toBeLessThan(TARGET_SUM_TOLERANCE / 10);
    const loss = crossEntropy(z, soft);
    expect(loss.dataSync()[0]).toBeGreaterThan(0);
    const near = tf.tensor2d([[0, 0.5, 0.5 + TARGET_SUM_TOLERANCE / 2]]);
    const z1 = tf.tensor2d([[1, 2, 3]]);
    const ok = crossEntropy(z1, near);
    expect(ok.dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([z, soft, sums, loss, near, z1, ok]);
  });
});

/**
 * Float64 reference of a margin head's mean loss, theta = acos(clamp(cos)): the function whose
 * central differences give the symmetric gradient at the kinks theta = 0 and pi.
 */
function referenceLoss(
  kind: 'ArcFace' | 'CombinedMargin',
  p: { s: number; m1: number; m2: number; m3: number },
  x: number[][],
  w: number[][],
  labels: number[],
): number {
  const d = w.length;
  const cols = w[0].length;
  const unit = (v: number[]) => v.map((a) => a / Math.hypot(...v));
  const wn = Array.from({ length: cols }, (_, j) => unit(w.map((r) => r[j])));
  let total = 0;
  x.forEach((row, i) => {
    const xn = unit(row);
    const logits = wn.map((col, j) => {
      let cos = 0;
      for (let k = 0; k < d; k++) cos += xn[k] * col[k];
      if (j !== labels[i]) return p.s * cos;
      const theta = Math.acos(Math.min(1, Math.max(-1, cos)));
      if (kind === 'CombinedMargin') return p.s * (Math.cos(p.m1 * theta + p.m2) - p.m3);
      return p.s * (theta + p.m2 >= Math.PI ? cos - p.m2 * Math.sin(p.m2) : Math.cos(theta + p.m2));
    });
    const top = Math.max(...logits);
    const lse = top + Math.log(logits.reduce((a, l) => a + Math.exp(l - top), 0));
    total += lse - logits[labels[i]];
  });
  return total / x.length;
}

/**
 * Central differences of `f` at `m`, entry by entry (float64: the O(h^2) and round-off errors are
 * both below 1e-8 at h = 1e-5).
 */
function centralDifferences(f: (m: number[][]) => number, m: number[][], h = 1e-5): number[][] {
  return m.map((row, i) =>
    row.map((_, k) => {
      const at = (delta: number) =>
        f(m.map((r, a) => r.map((v, b) => (a === i && b === k ? v + delta : v))));
      return (at(h) - at(-h)) / (2 * h);
    }),
  );
}

describe('margin gradients at exactly theta = 0 and pi are the symmetric ones', () => {
  const D = 4;
  const C = 3;
  const rng = new Rng(11);
  const W = Array.from({ length: D }, () =>
    Array.from({ length: C }, () => Math.fround(rng.normal(0, 1))),
  );
  // Rows 0 and 1 lie along classes 0 and 1 (cos = +1), rows 2 and 3 against classes 2 and 0
  // (cos = -1). The heads get X, the float32 rounding of multiples that are not powers of 2, so x^
  // and w^ agree only to round-off, as a real embedding would; the float64 reference gets the
  // exact multiples X64, exactly at the tip, where its central differences are the symmetric
  // gradient.
  const ROWS: [number, number][] = [
    [0, 3.3],
    [1, 0.7],
    [2, -1.7],
    [0, -5.1],
  ];
  const X64 = ROWS.map(([j, k]) => W.map((r) => k * r[j]));
  const X = X64.map((row) => row.map(Math.fround));
  const labels = ROWS.map(([j]) => j);
  const heads: [string, () => MarginHead, 'ArcFace' | 'CombinedMargin', number[]][] = [
    [
      'CombinedMargin(1, 0.3, 0.2)',
      () => new CombinedMargin({ embeddingDim: D, numClasses: C, scale: 4 }),
      'CombinedMargin',
      [1, 0.3, 0.2],
    ],
    [
      'CombinedMargin(1.35, 0.25, 0.1)',
      () =>
        new CombinedMargin({
          embeddingDim: D,
          numClasses: C,
          scale: 4,
          m1: 1.35,
          m2: 0.25,
          m3: 0.1,
        }),
      'CombinedMargin',
      [1.35, 0.25, 0.1],
    ],
    [
      'ArcFace(0.5)',
      () => new ArcFace({ embeddingDim: D, numClasses: C, scale: 4, margin: 0.5 }),
      'ArcFace',
      [1, 0.5, 0],
    ],
  ];

  it.each(heads)(
    '%s: finite, and equal to central differences',
    (_name, make, kind, [m1, m2, m3]) => {
      const head = make();
      const w = tf.tensor2d(W);
      head.setWeights([w]);
      const x = tf.tensor2d(X);
      const cos = head.cosine(x).arraySync() as number[][];
      expectClose(
        ROWS.map(([j], i) => cos[i][j]),
        ROWS.map(([, k]) => Math.sign(k)),
        { atol: 2e-7 },
      );
      const xv = tf.variable(x);
      const { value, grads } = tf.variableGrads(
        () => head.loss(xv, labels, { training: false }),
        [xv, head.weight],
      );
      const p = { s: 4, m1, m2, m3 };
      const gx = centralDifferences((m) => referenceLoss(kind, p, m, W, labels), X64);
      const gw = centralDifferences((m) => referenceLoss(kind, p, X64, m, labels), W);
      expect(allFinite(grads[xv.name]) && allFinite(grads[head.weight.name])).toBe(true);
      expectClose(value, referenceLoss(kind, p, X64, W, labels), { rtol: 1e-5 });
      expectClose(grads[xv.name], gx, { rtol: 1e-3, atol: 1e-4, what: 'dL/dx' });
      expectClose(grads[head.weight.name], gw, { rtol: 1e-3, atol: 1e-4, what: 'dL/dW' });
      tf.dispose([w, x, xv, value, ...Object.values(grads)]);
      head.dispose();
    },
  );

  it('CombinedMargin(1, m, 0) has the gradient of ArcFace(m) at theta = 0', () => {
    const x = tf.tensor2d(X.slice(0, 2));
    const w = tf.tensor2d(W);
    const gradient = (head: MarginHead) => {
      head.setWeights([w]);
      const g = tf.grad((e) =>
        head.loss(e as tf.Tensor2D, labels.slice(0, 2), { training: false }),
      )(x);
      const out = g.arraySync();
      tf.dispose(g);
      head.dispose();
      return out;
    };
    const arc = gradient(new ArcFace({ embeddingDim: D, numClasses: C, scale: 4, margin: 0.5 }));
    const combined = gradient(
      new CombinedMargin({ embeddingDim: D, numClasses: C, scale: 4, m1: 1, m2: 0.5, m3: 0 }),
    );
    expectClose(combined, arc, { rtol: 1e-6, atol: 1e-7 });
    tf.dispose([x, w]);
  });
});
