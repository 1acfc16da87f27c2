// A fit stopped by its signal (Ctrl-C) is to be resumed: the keep-best guard neither puts the
// best weights back nor reports an outcome then; the fit that finishes does both.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { SGD, Trainer, evaluation, keepBestWeights, shuffledBatches } from '@face/train';

// Least squares towards w* = [1, -2, 3] at a rate past 2 / the largest curvature: every update
// overshoots further, so every trained epoch scores worse than the start.
const X = [
  [1, 0, 0.5],
  [0, 1, -0.5],
  [0.5, 0.5, 1],
  [1, -1, 0],
];
const target = [1, -2, 3];

describe('keepBestWeights after an interrupted fit', () => {
  it('restores and reports only when the continued fit ends', async () => {
    const before = tf.memory().numTensors;
    const init = tf.zeros([3, 1]);
    const w = tf.variable(init, true, `w_${Math.random()}`);
    init.dispose();
    const score = () => -Math.hypot(...target.map((t, i) => w.dataSync()[i] - t));
    const notices: string[] = [];
    const guard = keepBestWeights({
      monitor: 'val_score',
      evaluate: () => ({ val_score: score() }),
      onNotice: (m) => notices.push(m),
    });
    const controller = new AbortController();
    const optimizer = new SGD({ w }, { lr: 50 });
    const trainer = new Trainer<{ x: tf.Tensor2D; y: tf.Tensor2D }>({
      optimizer,
      lossFn: ({ x, y }) => tf.mean(tf.square(tf.sub(tf.matMul(x, w), y))) as tf.Scalar,
      callbacks: [
        evaluation(() => ({ score: score() }), { prefix: 'val_' }),
        guard,
        // Ctrl-C in epoch 2 (4 updates an epoch), after its 2nd update.
        { name: 'ctrl-c', onBatchEnd: (logs) => void (logs.step === 6 && controller.abort()) },
      ],
    });
    const source = shuffledBatches(16, 4, () =>
      tf.tidy(() => ({
        x: tf.tensor2d(X),
        y: tf.matMul(tf.tensor2d(X), tf.tensor2d(target, [3, 1])) as tf.Tensor2D,
      })),
    );
    const start = score();
    const stopped = await trainer.fit(source, { epochs: 3, signal: controller.signal });
    expect(trainer.interrupted).toBe(true);
    expect(stopped.step).toBe(6);
    // Not put back (the weights are the 6th update's, worse than the start), nothing reported.
    expect(score()).toBeLessThan(start - 1);
    expect(stopped.keepBest).toBeUndefined();
    expect(notices).toEqual([expect.stringMatching(/^keep-best: val_score .* at the start/)]);

    const ended = await trainer.fit(source, { epochs: 3 });
    expect(trainer.interrupted).toBe(false);
    expect(ended.keepBest).toMatchObject({ improved: false, restored: true, bestEpoch: 0 });
    expect(score()).toBe(start);
    expect(notices).toHaveLength(2);
    expect(notices[1]).toMatch(/training did not beat the starting model/);
    guard.dispose();
    optimizer.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
