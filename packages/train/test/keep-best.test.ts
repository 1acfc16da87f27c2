import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CheckpointManager,
  SGD,
  Trainer,
  checkpointCallback,
  evaluation,
  keepBestWeights,
  shuffledBatches,
  type Callback,
} from '@face/train';

const root = mkdtempSync(join(tmpdir(), 'face-keep-best-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Least squares towards w* = [1, -2, 3]; the score of the weights is -|w - w*| (higher is better).
// Each batch is the same 4 rows, so the gradient is the same every step: a rate past 2 / the largest
// curvature makes every update overshoot further (the loss grows each epoch), a small one converges.
const X = [
  [1, 0, 0.5],
  [0, 1, -0.5],
  [0.5, 0.5, 1],
  [1, -1, 0],
];
const target = [1, -2, 3];

function problem(lr: number, extra: (w: tf.Variable) => Callback[] = () => []) {
  const init = tf.zeros([3, 1]);
  const w = tf.variable(init, true, `w_${Math.random()}`);
  init.dispose();
  const score = () => {
    const d = w.dataSync();
    return -Math.hypot(...target.map((t, i) => d[i] - t));
  };
  const guard = keepBestWeights({ monitor: 'val_score', evaluate: () => ({ val_score: score() }) });
  const optimizer = new SGD({ w }, { lr });
  const trainer = new Trainer<{ x: tf.Tensor2D; y: tf.Tensor2D }>({
    optimizer,
    lossFn: ({ x, y }) => tf.mean(tf.square(tf.sub(tf.matMul(x, w), y))) as tf.Scalar,
    callbacks: [evaluation(() => ({ score: score() }), { prefix: 'val_' }), guard, ...extra(w)],
  });
  const source = shuffledBatches(4, 4, () =>
    tf.tidy(() => ({
      x: tf.tensor2d(X),
      y: tf.matMul(tf.tensor2d(X), tf.tensor2d(target, [3, 1])) as tf.Tensor2D,
    })),
  );
  return { w, guard, trainer, source, score, optimizer };
}

describe('keepBestWeights', () => {
  it('returns the start when every epoch is worse (an absurd rate), and says so', async () => {
    const before = tf.memory().numTensors;
    const p = problem(50);
    const start = Array.from(p.w.dataSync());
    const result = await p.trainer.fit(p.source, { epochs: 4 });
    const scores = result.history.map((h) => h.val_score);
    // The premise: training made every epoch worse than the start (-|w*| = -3.74).
    expect(Math.max(...scores)).toBeLessThan(-Math.hypot(...target));
    expect(Array.from(p.w.dataSync())).toEqual(start);
    expect(result.keepBest).toMatchObject({ bestEpoch: 0, improved: false, restored: true });
    expect(result.keepBest!.start).toBeCloseTo(-Math.hypot(...target), 5);
    expect(result.keepBest!.bestTrained).toBe(Math.max(...scores));
    expect(result.keepBest!.message).toMatch(/did not beat the starting model.*kept the start/);
    p.optimizer.dispose();
    p.w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the best epoch, not the last, when training helps and then overshoots', async () => {
    const seen: number[][] = [];
    // A rate that converges, then a jump to an absurd rate from epoch 3 on.
    const p = problem(0.3, (w) => [
      {
        name: 'record',
        onEpochEnd: () => void seen.push(Array.from(w.dataSync())),
        onEpochBegin: (e, t) => void (e >= 2 && (t.optimizer.lr = 50)),
      },
    ]);
    const result = await p.trainer.fit(p.source, { epochs: 5 });
    const scores = result.history.map((h) => h.val_score);
    const best = scores.indexOf(Math.max(...scores));
    expect(best).toBeLessThan(4); // the last epoch is not the best
    expect(result.keepBest).toMatchObject({ bestEpoch: best + 1, improved: true });
    expect(Array.from(p.w.dataSync())).toEqual(seen[best]);
    p.optimizer.dispose();
    p.w.dispose();
  });

  it('after a resume, goes back to the start through the step-0 checkpoint', async () => {
    const dir = join(root, 'resume');
    const run = async (epochs: number, resume: boolean) => {
      const manager = new CheckpointManager(dir, {
        keepLast: 1,
        keepBest: { monitor: 'val_score', mode: 'max' },
      });
      const p = problem(50);
      const guard = keepBestWeights({
        monitor: 'val_score',
        evaluate: () => ({ val_score: p.score() }),
        manager,
      });
      const trainer = new Trainer({
        optimizer: p.optimizer,
        lossFn: (b: { x: tf.Tensor2D; y: tf.Tensor2D }) =>
          tf.mean(tf.square(tf.sub(tf.matMul(b.x, p.w), b.y))) as tf.Scalar,
        variables: { w: p.w },
        callbacks: [
          evaluation(() => ({ score: p.score() }), { prefix: 'val_' }),
          guard,
          checkpointCallback(manager),
        ],
      });
      if (resume) expect(await trainer.resume(manager)).not.toBeNull();
      const result = await trainer.fit(p.source, { epochs });
      const w = Array.from(p.w.dataSync());
      p.optimizer.dispose();
      p.w.dispose();
      return { result, w };
    };
    const first = await run(2, false);
    expect(first.w).toEqual([0, 0, 0]);
    const second = await run(4, true);
    expect(second.result.keepBest).toMatchObject({ bestEpoch: 0, restored: true, epochs: 4 });
    expect(second.w).toEqual([0, 0, 0]);
  });

  it('refuses bad options, naming them', () => {
    expect(() => keepBestWeights({ monitor: '', evaluate: () => ({}) })).toThrow(/monitor/);
    expect(() => keepBestWeights({ monitor: 'x', evaluate: 3 as never })).toThrow(/evaluate/);
    expect(() =>
      keepBestWeights({ monitor: 'x', evaluate: () => ({}), mode: 'up' as never }),
    ).toThrow(/mode/);
  });
});
