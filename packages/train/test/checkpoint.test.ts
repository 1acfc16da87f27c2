import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '@face/core';
import {
  Adam,
  CheckpointCorruptError,
  CheckpointManager,
  CheckpointMismatchError,
  SGD,
  Trainer,
  checkpointCallback,
  disposeCheckpoint,
  makeFingerprint,
  namedVariables,
  nodeStorage,
  readCheckpoint,
  shuffledBatches,
  writeCheckpoint,
  type Checkpoint,
  type CheckpointStorage,
} from '@face/train';

const root = mkdtempSync(join(tmpdir(), 'face-train-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(root, `d${n++}`);

/** A checkpoint with every kind of content, and fingerprint `config`. */
function sample(
  step: number,
  metrics: Record<string, number> = {},
  config: unknown = 'a',
): Checkpoint {
  const w = tf.variable(
    tf.tensor2d([
      [1.5, -2.25],
      [Math.PI, 1e-30],
    ]),
  );
  return {
    fingerprint: makeFingerprint({ variables: namedVariables({ w }), config: config as string }),
    position: { epoch: 1, batchInEpoch: 2, step },
    variables: { w },
    state: { count: tf.tensor1d([3, -4], 'int32'), mask: tf.tensor1d([true, false, true], 'bool') },
    optimizer: {
      kind: 'sgd',
      steps: { w: step },
      slots: { w: { momentum_buffer: tf.fill([2, 2], 0.1) } },
    },
    rng: new Rng(9).state(),
    data: { order: [3, 1, 2] },
    callbacks: { early: { best: 0.5, wait: 1 } },
    trainer: { anything: true },
    extra: { head: 'arcface', margin: 0.5 },
    metrics,
  };
}

const bits = (t: tf.Tensor) => {
  const d = t.dataSync();
  return Array.from(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
};

describe('checkpoint format', () => {
  it('round-trips every field, tensors bit for bit', async () => {
    const dir = join(fresh(), 'ck');
    const ckpt = sample(7, { loss: 0.25 });
    const manifest = await writeCheckpoint(dir, ckpt);
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'weights.bin']);
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'))).toEqual(manifest);
    expect(manifest.tensors.map((t) => [t.role, t.name, t.slot, t.dtype, t.offset % 4])).toEqual([
      ['variable', 'w', undefined, 'float32', 0],
      ['state', 'count', undefined, 'int32', 0],
      ['state', 'mask', undefined, 'bool', 0],
      ['slot', 'w', 'momentum_buffer', 'float32', 0],
    ]);
    const back = await readCheckpoint(dir);
    expect(bits(back.variables.w)).toEqual(bits(ckpt.variables.w));
    expect(Array.from(back.state.count.dataSync())).toEqual([3, -4]);
    expect(back.state.mask.dtype).toBe('bool');
    expect(Array.from(back.state.mask.dataSync())).toEqual([1, 0, 1]);
    expect(bits(back.optimizer!.slots.w.momentum_buffer)).toEqual(
      bits(ckpt.optimizer!.slots.w.momentum_buffer),
    );
    const { variables: _v, state: _s, optimizer: o1, ...json1 } = back;
    const { variables: _v2, state: _s2, optimizer: o2, ...json2 } = ckpt;
    expect(json1).toEqual(json2);
    expect(o1!.steps).toEqual(o2!.steps);
    disposeCheckpoint(back);
    disposeCheckpoint(ckpt);
  });

  it('refuses torn or altered files with a clear error', async () => {
    const dir = join(fresh(), 'ck');
    const ckpt = sample(1);
    await writeCheckpoint(dir, ckpt);
    disposeCheckpoint(ckpt);
    const weights = join(dir, 'weights.bin');
    const good = readFileSync(weights);
    const flipped = Buffer.from(good);
    flipped[5] ^= 1;
    writeFileSync(weights, flipped);
    await expect(readCheckpoint(dir)).rejects.toThrow(/weights.bin fails its CRC-32 check/);
    writeFileSync(weights, good.subarray(0, 10));
    await expect(readCheckpoint(dir)).rejects.toThrow(
      /weights.bin has 10 bytes, the manifest says/,
    );
    writeFileSync(join(dir, 'manifest.json'), '{"format":"face-checkpoint","version":99}');
    await expect(readCheckpoint(dir)).rejects.toThrow(/format version 99 is not supported/);
    writeFileSync(join(dir, 'manifest.json'), '{"tru');
    await expect(readCheckpoint(dir)).rejects.toThrow(CheckpointCorruptError);
    await expect(readCheckpoint(join(dir, 'nope'))).rejects.toThrow(/cannot read manifest.json/);
  });
});

/** Node storage whose `count`-th weight-file write dies halfway (an in-process crash). */
function failingStorage(count: number): CheckpointStorage {
  const base = nodeStorage();
  let writes = 0;
  return {
    ...base,
    async writeFile(path, data) {
      if (path.endsWith('weights.bin') && ++writes === count) {
        await base.writeFile(path, data.subarray(0, 8));
        throw new Error('injected: disk full');
      }
      await base.writeFile(path, data);
    },
  };
}

describe('CheckpointManager', () => {
  it('never exposes a checkpoint whose write failed; the next save cleans up', async () => {
    const dir = fresh();
    const manager = new CheckpointManager(dir, { storage: failingStorage(2) });
    const a = sample(1);
    await manager.save(a);
    const b = sample(2);
    await expect(manager.save(b)).rejects.toThrow(/injected: disk full/);
    expect(readdirSync(dir).some((name) => name.startsWith('.tmp-step-000000002'))).toBe(true);
    expect((await manager.list()).map((c) => c.step)).toEqual([1]);
    const loaded = (await manager.load('latest'))!;
    expect(loaded.position.step).toBe(1);
    disposeCheckpoint(loaded);
    await manager.save(b);
    expect(readdirSync(dir).sort()).toEqual(['step-000000001', 'step-000000002']);
    disposeCheckpoint(a);
    disposeCheckpoint(b);
  });

  it('keeps the last N and the best by a metric', async () => {
    const dir = fresh();
    const manager = new CheckpointManager(dir, {
      keepLast: 2,
      keepBest: { monitor: 'loss', mode: 'min' },
    });
    for (const [step, loss] of [
      [1, 5],
      [2, 1],
      [3, 4],
      [4, 3],
      [5, 2],
    ]) {
      const c = sample(step, { loss });
      await manager.save(c);
      disposeCheckpoint(c);
    }
    expect((await manager.list()).map((c) => c.step)).toEqual([2, 4, 5]);
    expect((await manager.best())!.step).toBe(2);
    expect((await manager.latest())!.step).toBe(5);

    const onlyBest = new CheckpointManager(fresh(), {
      keepLast: 0,
      keepBest: { monitor: 'acc', mode: 'max', count: 2 },
    });
    for (const [step, acc] of [
      [1, 0.5],
      [2, 0.9],
      [3, 0.7],
      [4, 0.6],
    ]) {
      const c = sample(step, { acc });
      await onlyBest.save(c);
      disposeCheckpoint(c);
    }
    expect((await onlyBest.list()).map((c) => c.step)).toEqual([2, 3]);
  });

  it('refuses to write into a directory of another model, changing nothing', async () => {
    const dir = fresh();
    const manager = new CheckpointManager(dir);
    const a = sample(1, {}, 'resnet');
    await manager.save(a);
    const before = readFileSync(join(dir, 'step-000000001', 'weights.bin'));
    const b = sample(1, {}, 'mobilefacenet');
    await expect(manager.save(b)).rejects.toThrow(CheckpointMismatchError);
    await expect(manager.save(b)).rejects.toThrow(
      /config "resnet" in the checkpoint, "mobilefacenet" here/,
    );
    expect(readdirSync(dir)).toEqual(['step-000000001']);
    expect(readFileSync(join(dir, 'step-000000001', 'weights.bin'))).toEqual(before);
    disposeCheckpoint(a);
    disposeCheckpoint(b);
  });

  it('validates its options', () => {
    expect(() => new CheckpointManager('')).toThrow(/directory must be a non-empty path/);
    expect(() => new CheckpointManager('x', { keepLast: 0 })).toThrow(
      /keepLast must be >= 1 when keepBest is not set/,
    );
    expect(
      () => new CheckpointManager('x', { keepBest: { monitor: 'a', mode: 'up' as 'min' } }),
    ).toThrow(/keepBest.mode/);
  });
});

type Batch = { x: tf.Tensor2D };

/** A tiny trainer over a `[inDim, 2]` kernel: "backbones" of other widths are other models. */
function tinyTrainer(inDim: number, dir: string, onExisting: 'error' | 'overwrite' = 'error') {
  const kernel = tf.variable(tf.fill([inDim, 2], 0.5));
  const optimizer = new Adam({ kernel }, { lr: 0.1 });
  const manager = new CheckpointManager(dir);
  const trainer = new Trainer<Batch>({
    optimizer,
    lossFn: ({ x }) => tf.mean(tf.square(tf.matMul(x, kernel))) as tf.Scalar,
    callbacks: [checkpointCallback(manager, { onExisting })],
  });
  const source = shuffledBatches<Batch>(4, 2, (idx) => ({
    x: tf.ones([idx.length, inDim]) as tf.Tensor2D,
  }));
  return {
    kernel,
    optimizer,
    manager,
    trainer,
    source,
    dispose: () => (optimizer.dispose(), kernel.dispose()),
  };
}

describe('incompatible checkpoints', () => {
  it('resume refuses another backbone with the differences, and nothing is loaded or overwritten', async () => {
    const dir = fresh();
    const first = tinyTrainer(3, dir);
    await first.trainer.fit(first.source, { epochs: 2 });
    first.dispose();
    const listing = readdirSync(dir);
    const bytes = readFileSync(join(dir, 'step-000000004', 'weights.bin'));

    const other = tinyTrainer(5, dir);
    const error = await other.trainer.resume(other.manager).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckpointMismatchError);
    expect((error as CheckpointMismatchError).differences).toEqual([
      "variable 'kernel' has shape [3, 2] in the checkpoint, [5, 2] here",
    ]);
    expect((error as Error).message).toMatch(/nothing was loaded or overwritten/);
    // Training from scratch into the same directory is refused before the first update.
    await expect(other.trainer.fit(other.source, { epochs: 1 })).rejects.toThrow(
      CheckpointMismatchError,
    );
    expect(other.trainer.step).toBe(0);
    expect(Array.from(other.kernel.dataSync())).toEqual(new Array(10).fill(0.5));
    expect(readdirSync(dir)).toEqual(listing);
    expect(readFileSync(join(dir, 'step-000000004', 'weights.bin'))).toEqual(bytes);
    other.dispose();
  });

  it('a fresh run refuses a directory holding a compatible earlier run unless told to overwrite', async () => {
    const dir = fresh();
    const first = tinyTrainer(3, dir);
    await first.trainer.fit(first.source, { epochs: 1 });
    first.dispose();
    const again = tinyTrainer(3, dir);
    await expect(again.trainer.fit(again.source, { epochs: 1 })).rejects.toThrow(
      /already holds checkpoints of a run \(latest at step 2\); resume from it/,
    );
    again.dispose();
    const resumed = tinyTrainer(3, dir);
    expect((await resumed.trainer.resume(resumed.manager))!.step).toBe(2);
    expect((await resumed.trainer.fit(resumed.source, { epochs: 2 })).step).toBe(4);
    resumed.dispose();
    const overwrite = tinyTrainer(3, dir, 'overwrite');
    await overwrite.trainer.fit(overwrite.source, { epochs: 1 });
    expect((await overwrite.manager.list()).map((c) => c.step)).toEqual([2]);
    overwrite.dispose();
  });
});

describe('optimizer-kind and variable-set checks on restore', () => {
  it('restore refuses a checkpoint of another optimizer', async () => {
    const dir = fresh();
    const first = tinyTrainer(3, dir);
    await first.trainer.fit(first.source, { epochs: 1 });
    const ckpt = (await first.manager.load())!;
    const w = tf.variable(tf.zeros([3, 2]));
    const sgd = new Trainer({
      optimizer: new SGD({ kernel: w }, { lr: 1 }),
      lossFn: () => tf.sum(w) as tf.Scalar,
    });
    expect(() => sgd.restore(ckpt, 'x')).toThrow(/optimizer 'adam' in the checkpoint, 'sgd' here/);
    expect(Array.from(w.dataSync())).toEqual(new Array(6).fill(0));
    disposeCheckpoint(ckpt);
    first.dispose();
    sgd.optimizer.dispose();
    w.dispose();
  });
});
