import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { expectClose, expectFlatMemory, loadFixture, maxRelativeError } from '@face/test-support';
import {
  NonFiniteLossError,
  SGD,
  Trainer,
  cosineAnnealing,
  earlyStopping,
  evaluation,
  linearWarmup,
  nanGuard,
  progressBar,
  shuffledBatches,
  type Callback,
  type ResumableBatchSource,
} from '@face/train';

interface StepFixture {
  x: number[][][];
  y: number[][][];
  w0: number[][];
  b0: number[];
  order: number[];
  losses: number[];
  gradNorms: number[];
  lrs: number[];
  w: number[][];
  b: number[];
}

type Batch = { x: tf.Tensor2D; y: tf.Tensor2D };

/** Linear regression y = xW + b with a mean-squared-error loss. */
function linear(w0: number[][] | tf.Tensor, b0: number[] | tf.Tensor) {
  const w = tf.variable(w0 instanceof tf.Tensor ? w0 : tf.tensor2d(w0));
  const b = tf.variable(b0 instanceof tf.Tensor ? b0 : tf.tensor1d(b0));
  const lossFn = ({ x, y }: Batch) =>
    tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar;
  return { w, b, lossFn };
}

/** A fixed list of batches per epoch (a stand-in for a data loader). */
function listSource(
  batches: number[][],
  x: number[][][],
  y: number[][][],
): ResumableBatchSource<Batch> {
  return {
    batchesPerEpoch: (e) => batches[e].length,
    *batches({ epoch, batchIndex }) {
      for (const i of batches[epoch].slice(batchIndex))
        yield { x: tf.tensor2d(x[i]), y: tf.tensor2d(y[i]) };
    },
  };
}

describe('Trainer', () => {
  it('reproduces a torch training loop: clip_grad_norm_, grouped Nesterov SGD, warm-up + cosine', async () => {
    const fx = loadFixture<StepFixture>(import.meta.url, 'train_step');
    const { w, b, lossFn } = linear(fx.w0, fx.b0);
    const opt = new SGD([{ variables: { w } }, { variables: { b }, weightDecay: 0 }], {
      lr: 0.05,
      momentum: 0.9,
      nesterov: true,
      weightDecay: 1e-3,
    });
    const steps: { loss: number; gradNorm?: number; lr: number }[] = [];
    const record: Callback = { name: 'record', onBatchEnd: (l) => void steps.push(l) };
    const trainer = new Trainer({
      optimizer: opt,
      lossFn,
      schedule: linearWarmup(cosineAnnealing(0.05, 6, { minLr: 0.005 }), {
        warmupSteps: 2,
        startFactor: 0.5,
      }),
      clipGradNorm: 1,
      callbacks: [record],
    });
    const result = await trainer.fit(
      listSource([fx.order.slice(0, 4), fx.order.slice(4)], fx.x, fx.y),
      { epochs: 2 },
    );
    expect(result.step).toBe(8);
    expectClose(
      steps.map((s) => s.loss),
      fx.losses,
      { rtol: 1e-5, what: 'losses' },
    );
    expectClose(
      steps.map((s) => s.gradNorm!),
      fx.gradNorms,
      { rtol: 1e-5, what: 'gradient norms' },
    );
    expectClose(
      steps.map((s) => s.lr),
      fx.lrs,
      { rtol: 1e-12, what: 'rates' },
    );
    expectClose(w, fx.w, { rtol: 1e-5, what: 'W' });
    if (process.env.FACE_REPORT) {
      const losses = maxRelativeError(
        steps.map((s) => s.loss),
        fx.losses,
      );
      console.log(
        `train step vs torch: losses ${losses.toExponential(2)}, W ${maxRelativeError(w, fx.w).toExponential(2)}, b ${maxRelativeError(b, fx.b).toExponential(2)}`,
      );
    }
    expectClose(b, fx.b, { rtol: 1e-5, atol: 1e-6, what: 'b' });
    expect(result.history.map((h) => h.epoch)).toEqual([0, 1]);
    // Epoch logs hold the mean of the epoch's step losses.
    expect(result.history[0].loss).toBe(steps.slice(0, 4).reduce((a, s) => a + s.loss, 0) / 4);
    opt.dispose();
    tf.dispose([w, b]);
  });

  it('leaks no tensor over 200 steps (clipping, metrics, NaN guard, evaluation, callbacks)', async () => {
    const { w, b } = linear(tf.ones([4, 2]), tf.zeros([2]));
    const opt = new SGD({ w, b }, { lr: 0.01, momentum: 0.9 });
    const source = shuffledBatches(
      16,
      8,
      (idx) => ({
        x: tf.fill([idx.length, 4], 0.5) as tf.Tensor2D,
        y: tf.ones([idx.length, 2]) as tf.Tensor2D,
      }),
      { seed: 1 },
    );
    const trainer = new Trainer<Batch>({
      optimizer: opt,
      lossFn: ({ x, y }) => {
        const err = tf.sub(tf.add(tf.matMul(x, w), b), y);
        return {
          loss: tf.mean(tf.square(err)) as tf.Scalar,
          metrics: { mae: tf.mean(tf.abs(err)), constant: 1 },
        };
      },
      clipGradNorm: 10,
      clipGradValue: 1,
      callbacks: [
        nanGuard(),
        progressBar({ mode: 'silent' }),
        evaluation(() => tf.tidy(() => ({ norm: tf.norm(w).dataSync()[0] }))),
      ],
    });
    let epochs = 0;
    // One epoch = 2 updates; 100 epochs = 200 updates.
    await expectFlatMemory(() => trainer.fit(source, { epochs: ++epochs }), {
      steps: 100,
      warmup: 2,
      what: 'fit',
    });
    expect(trainer.step).toBe(204);
    expect(trainer.history.at(-1)).toMatchObject({
      constant: 1,
      norm: expect.any(Number),
      mae: expect.any(Number),
    });
    opt.dispose();
    tf.dispose([w, b]);
  });

  it('the NaN guard stops before applying the bad update, with its step and value', async () => {
    const { w, b } = linear(tf.ones([4, 2]), tf.zeros([2]));
    const opt = new SGD({ w, b }, { lr: 0.01 });
    const source = shuffledBatches(40, 4, (idx) => ({
      x: tf.ones([idx.length, 4]) as tf.Tensor2D,
      y: tf.zeros([idx.length, 2]) as tf.Tensor2D,
    }));
    const poisoned = (step: number) => (batch: Batch, ctx: { step: number }) => {
      const loss = tf.mean(tf.square(tf.sub(tf.add(tf.matMul(batch.x, w), b), batch.y)));
      return (ctx.step === step ? tf.mul(loss, NaN) : loss) as tf.Scalar;
    };
    let before: Float32Array | null = null;
    const spy: Callback = {
      name: 'spy',
      onBatchEnd: (l) => void (l.step === 6 && (before = Float32Array.from(w.dataSync()))),
    };
    const trainer = new Trainer({
      optimizer: opt,
      lossFn: poisoned(6),
      callbacks: [nanGuard(), spy],
    });
    const result = await trainer.fit(source, { epochs: 1 });
    expect(result.stopReason).toMatchObject({ kind: 'non-finite', step: 7, epoch: 0 });
    expect(result.stopReason!.value).toBeNaN();
    expect(result.stopReason!.message).toMatch(/non-finite loss at step 7 \(epoch 0\): NaN/);
    expect(result.step).toBe(6);
    expect(result.history).toEqual([]); // the epoch did not end
    expect(w.dataSync()).toEqual(before);

    const throwing = new Trainer({
      optimizer: opt,
      lossFn: poisoned(0),
      callbacks: [nanGuard({ action: 'throw' })],
    });
    await expect(throwing.fit(source, { epochs: 1 })).rejects.toThrow(NonFiniteLossError);
    opt.dispose();
    tf.dispose([w, b]);
  });

  it('stops early on an evaluation metric that stops improving', async () => {
    const { w, b, lossFn } = linear(tf.ones([4, 2]), tf.zeros([2]));
    const opt = new SGD({ w, b }, { lr: 0.01 });
    const source = shuffledBatches(8, 4, (idx) => ({
      x: tf.ones([idx.length, 4]) as tf.Tensor2D,
      y: tf.zeros([idx.length, 2]) as tf.Tensor2D,
    }));
    const scores = [0.5, 0.6, 0.6, 0.59, 0.61, 0.9];
    const trainer = new Trainer({
      optimizer: opt,
      lossFn,
      callbacks: [
        earlyStopping({ monitor: 'val_score', mode: 'max', patience: 2, minDelta: 0.005 }),
        evaluation(({ epoch }) => ({ score: scores[epoch] }), { prefix: 'val_' }),
      ],
    });
    const result = await trainer.fit(source, { epochs: 6 });
    expect(result.epochs).toBe(4);
    expect(result.history.map((h) => h.val_score)).toEqual([0.5, 0.6, 0.6, 0.59]);
    expect(result.stopReason).toMatchObject({ kind: 'early-stopping', epoch: 4 });
    expect(result.stopReason!.message).toMatch(
      /val_score did not improve by more than 0.005 for 2 epoch\(s\); best 0.6 at epoch 1/,
    );
    opt.dispose();
    tf.dispose([w, b]);
  });

  it('skips an update a hook vetoes but counts the batch', async () => {
    const { w, b, lossFn } = linear(tf.ones([4, 2]), tf.zeros([2]));
    const opt = new SGD({ w, b }, { lr: 0.1 });
    const skipAll: Callback = { name: 'skip', beforeUpdate: () => 'skip' };
    const trainer = new Trainer({ optimizer: opt, lossFn, callbacks: [skipAll] });
    const source = shuffledBatches(8, 4, (idx) => ({
      x: tf.ones([idx.length, 4]) as tf.Tensor2D,
      y: tf.zeros([idx.length, 2]) as tf.Tensor2D,
    }));
    const result = await trainer.fit(source, { epochs: 1 });
    expect(result.step).toBe(2);
    expect(Array.from(w.dataSync())).toEqual(new Array(8).fill(1));
    opt.dispose();
    tf.dispose([w, b]);
  });

  it('rejects bad input with the argument named', async () => {
    const v = tf.variable(tf.ones([2]));
    const u = tf.variable(tf.ones([2]));
    const opt = new SGD({ v }, { lr: 0.1 });
    expect(
      () =>
        new Trainer({ optimizer: opt, lossFn: () => tf.sum(v) as tf.Scalar, variables: { v, u } }),
    ).toThrow(
      /Trainer: variables must be the optimizer's variables \(not in the optimizer\), got "u"/,
    );
    expect(() => new Trainer({ optimizer: opt, lossFn: 3 as never })).toThrow(InvalidArgumentError);
    const lossFn = () => tf.sum(v) as tf.Scalar;
    expect(() => new Trainer({ optimizer: opt, lossFn, clipGradNorm: 0 })).toThrow(
      /clipGradNorm must be a finite number > 0/,
    );
    expect(() => new Trainer({ optimizer: opt, lossFn, clipGradValue: -1 })).toThrow(
      /clipGradValue/,
    );
    expect(() => new Trainer({ optimizer: opt, lossFn, schedule: 0.1 as never })).toThrow(
      /schedule must be a function/,
    );
    const twice = new Trainer({ optimizer: opt, lossFn });
    const first = twice.fit(() => [1], { epochs: 1 });
    await expect(twice.fit(() => [1], { epochs: 1 })).rejects.toThrow(/already fitting/);
    await first;
    const dup = { name: 'x' } as Callback;
    expect(
      () =>
        new Trainer({
          optimizer: opt,
          lossFn: () => tf.sum(v) as tf.Scalar,
          callbacks: [dup, dup],
        }),
    ).toThrow(/callbacks\[1\]\.name must be a name no other callback has/);
    const vector = new Trainer({
      optimizer: opt,
      lossFn: () => tf.mul(v, 2) as unknown as tf.Scalar,
    });
    await expect(vector.fit(() => [1], { epochs: 1 })).rejects.toThrow(
      /lossFn must be to return a scalar tensor/,
    );
    await expect(vector.fit(() => [1], { epochs: 0 })).rejects.toThrow(
      /epochs must be an integer >= 1/,
    );
    await expect(vector.fit(42 as never, { epochs: 1 })).rejects.toThrow(
      /data must be a ResumableBatchSource/,
    );
    opt.dispose();
    tf.dispose([u, v]);
  });
});
