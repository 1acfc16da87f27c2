// The trainer's stateful parts go through one protocol (@face/core's Stateful): extra state, the
// batch source and callbacks are saved with getState() and restored with setState(); the
// deprecated names (extraState save/load, source state()) are still read, into the same fields.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, type JsonValue } from '@face/core';
import {
  SGD,
  Trainer,
  type Callback,
  type Checkpoint,
  type ResumableBatchSource,
} from '@face/train';

type Batch = { x: tf.Tensor2D };

function setup(parts: {
  extraState?: unknown;
  source?: Partial<ResumableBatchSource<Batch>>;
  callbacks?: Callback[];
}) {
  const w = tf.variable(tf.ones([2, 1]), true, `stateful-parts-w-${Math.random()}`);
  const snapshots: Checkpoint[] = [];
  // Snapshots at the end of fit, while the source is attached (as checkpoint callbacks do).
  const grab: Callback = { name: 'grab', onTrainEnd: (_r, t) => void snapshots.push(t.snapshot()) };
  const trainer = new Trainer<Batch>({
    optimizer: new SGD({ w }, { lr: 0.1 }),
    lossFn: ({ x }) => tf.sum(tf.matMul(x, w)) as tf.Scalar,
    extraState: parts.extraState as never,
    callbacks: [...(parts.callbacks ?? []), grab],
  });
  const source: ResumableBatchSource<Batch> = {
    *batches({ batchIndex }) {
      for (let i = batchIndex; i < 2; i++) yield { x: tf.ones([1, 2]) as tf.Tensor2D };
    },
    ...parts.source,
  };
  return { trainer, source, w, snapshots };
}

/** A Stateful part whose state is `{ n }`, recording what it is given back. */
function part(n: number) {
  const seen: JsonValue[] = [];
  return { seen, getState: () => ({ n }), setState: (s: JsonValue) => void seen.push(s) };
}

describe('Trainer stateful parts', () => {
  it('saves and restores extra state, source state and callback state through getState/setState', async () => {
    const a = setup({
      extraState: part(1),
      source: part(2),
      callbacks: [{ name: 'cb', ...part(3) }],
    });
    await a.trainer.fit(a.source, { epochs: 1 });
    const [ckpt] = a.snapshots;
    expect([ckpt.extra, ckpt.data, ckpt.callbacks.cb]).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);

    const [extra, data, cb] = [part(0), part(0), { name: 'cb', ...part(0) }];
    const b = setup({ extraState: extra, source: data, callbacks: [cb] });
    b.trainer.restore(ckpt);
    // Epoch 1 is done, so fit(2) trains epoch 2; the source's state is handed back at its start.
    await b.trainer.fit(b.source, { epochs: 2 });
    expect([extra.seen, data.seen, cb.seen]).toEqual([[{ n: 1 }], [{ n: 2 }], [{ n: 3 }]]);
    tf.dispose([a.w, b.w]);
  });

  it('still reads the deprecated extraState save/load and source state() into the same fields', async () => {
    const loaded: JsonValue[] = [];
    const legacyExtra = { save: () => ({ old: 'extra' }), load: (s: JsonValue) => loaded.push(s) };
    const a = setup({ extraState: legacyExtra, source: { state: () => ({ old: 'data' }) } });
    await a.trainer.fit(a.source, { epochs: 1 });
    const [ckpt] = a.snapshots;
    expect([ckpt.extra, ckpt.data]).toEqual([{ old: 'extra' }, { old: 'data' }]);
    const b = setup({ extraState: legacyExtra });
    b.trainer.restore(ckpt);
    expect(loaded).toEqual([{ old: 'extra' }]);
    tf.dispose([a.w, b.w]);
  });

  it('refuses extra state it could not checkpoint, and a callback with half the protocol', () => {
    expect(() => setup({ extraState: { getState: () => 1 } })).toThrow(InvalidArgumentError);
    expect(() => setup({ extraState: { getState: () => 1 } })).toThrow(/extraState/);
    const half = { name: 'half', getState: () => 1 } as Callback;
    expect(() => setup({ callbacks: [half] })).toThrow(/callbacks\[0\].*only getState/);
  });
});
