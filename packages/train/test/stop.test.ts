// A stop request (an AbortSignal, what the CLI wires to Ctrl-C): the update in progress completes,
// nothing of the epoch's end runs, and a checkpoint taken then resumes bit for bit.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { SGD, Trainer, shuffledBatches, type Callback } from '@face/train';
import { EPOCHS, makeProblem, weightBits } from './helpers/problem';

const root = mkdtempSync(join(tmpdir(), 'face-train-stop-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Aborts `controller` when update `step` ends (as a signal arriving during that update would). */
const abortAt = (controller: AbortController, step: number): Callback => ({
  name: 'abort',
  onBatchEnd: (logs) => {
    if (logs.step === step) controller.abort('SIGINT');
  },
});

describe('Trainer stop requests', () => {
  it('an abort mid-epoch stops after that update; its checkpoint resumes bit for bit', async () => {
    const full = makeProblem(join(root, 'full'));
    const fullBefore = tf.memory().numTensors;
    const fullResult = await full.trainer.fit(full.source, { epochs: EPOCHS });
    const expected = weightBits(full);
    // What a run keeps: the optimizer's slots, created on the first update.
    const kept = tf.memory().numTensors - fullBefore;
    full.dispose();

    const dir = join(root, 'stopped');
    const controller = new AbortController();
    // An onTrainEnd hook that puts other weights back (as the keep-best guard does) runs after
    // the interrupt checkpoint, so the checkpoint holds the weights where training stopped.
    let vars: Record<string, tf.Variable> = {};
    const clobber: Callback = {
      name: 'clobber',
      onTrainEnd: () =>
        tf.tidy(() => Object.values(vars).forEach((v) => v.assign(tf.zerosLike(v)))),
    };
    const stopped = makeProblem(dir, { extraCallbacks: [abortAt(controller, 7), clobber] });
    vars = stopped.variables;
    const before = tf.memory().numTensors;
    const result = await stopped.trainer.fit(stopped.source, {
      epochs: EPOCHS,
      signal: controller.signal,
      interruptCheckpoint: stopped.manager,
    });
    expect(tf.memory().numTensors - before).toBe(kept); // the batches prefetched are disposed
    expect(stopped.trainer.interrupted).toBe(true);
    // Update 7 is batch 2 of epoch 1 (5 batches per epoch); epoch 1 never ended.
    expect(stopped.trainer.position).toEqual({ epoch: 1, batchInEpoch: 2, step: 7 });
    expect(result.stopReason).toBeNull();
    expect(result.history).toHaveLength(1);
    expect((await stopped.manager.latest())?.step).toBe(7);
    stopped.dispose();

    const resumed = makeProblem(dir);
    expect((await resumed.trainer.resume(resumed.manager))?.step).toBe(7);
    const rest = await resumed.trainer.fit(resumed.source, { epochs: EPOCHS });
    expect(resumed.trainer.interrupted).toBe(false);
    expect(rest.step).toBe(fullResult.step);
    expect(rest.history).toEqual(fullResult.history);
    expect(weightBits(resumed)).toEqual(expected);
    resumed.dispose();
  });

  it('a signal aborted before fit does no update; the option on the trainer works the same', async () => {
    const controller = new AbortController();
    controller.abort();
    const p = makeProblem(join(root, 'pre'));
    const result = await p.trainer.fit(p.source, { epochs: EPOCHS, signal: controller.signal });
    expect([result.step, p.trainer.interrupted]).toEqual([0, true]);
    p.dispose();

    // The same, as a Trainer option: a one-variable problem, stopped after update 3 of 8.
    const late = new AbortController();
    const w = tf.variable(tf.scalar(1));
    const trainer = new Trainer<number>({
      optimizer: new SGD({ w }, { lr: 0.1 }),
      lossFn: (x) => tf.square(tf.sub(w, x)) as tf.Scalar,
      callbacks: [abortAt(late, 3)],
      signal: late.signal,
    });
    const r = await trainer.fit(
      shuffledBatches(8, 1, ([i]) => i),
      { epochs: 1 },
    );
    expect([r.step, trainer.interrupted]).toEqual([3, true]);
    // A later fit without an abort trains on from update 3 and is not interrupted.
    const again = await trainer.fit(
      shuffledBatches(8, 1, ([i]) => i),
      { epochs: 1, signal: new AbortController().signal },
    );
    expect([again.step, trainer.interrupted]).toEqual([8, false]);
    trainer.optimizer.dispose();
    w.dispose();
  });

  it('a signal that is not an AbortSignal is refused, naming it', async () => {
    const p = makeProblem(join(root, 'bad'));
    await expect(
      p.trainer.fit(p.source, { epochs: 1, signal: 'stop' as unknown as AbortSignal }),
    ).rejects.toThrow(InvalidArgumentError);
    await expect(p.trainer.fit(p.source, { epochs: 1, signal: {} as AbortSignal })).rejects.toThrow(
      /signal.*AbortSignal/,
    );
    p.dispose();
  });
});
