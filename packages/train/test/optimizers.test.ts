import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { expectClose, expectFlatMemory, loadFixture, maxRelativeError } from '@face/test-support';
import { Adam, AdamW, SGD, splitWeightDecay, type Optimizer, type ParamsInput } from '@face/train';

interface Case {
  name: string;
  kind: 'sgd' | 'adam' | 'adamw';
  options: Record<string, number | boolean>;
  groups: Record<string, number>[] | null;
  lrs: number[];
  trajectory: { w: number[][]; b: number[] }[];
  finalState: Record<'w' | 'b', Record<string, number[] | number[][]>>;
}
interface Fixture {
  w0: number[][];
  b0: number[];
  grads: { w: number[][]; b: number[] }[];
  cases: Case[];
}
const fx = loadFixture<Fixture>(import.meta.url, 'optimizers');

const SLOT_NAMES: Record<string, string> = {
  momentum_buffer: 'momentum_buffer',
  exp_avg: 'exp_avg',
  exp_avg_sq: 'exp_avg_sq',
  max_exp_avg_sq: 'max_exp_avg_sq',
};

function make(
  kind: Case['kind'],
  params: ParamsInput<never>,
  options: Record<string, unknown>,
): Optimizer {
  const o = options as { lr: number };
  if (kind === 'sgd') return new SGD(params, o);
  return kind === 'adam' ? new Adam(params, o) : new AdamW(params, o);
}

describe('optimizers match torch.optim trajectories', () => {
  it.each(fx.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const w = tf.variable(tf.tensor(fx.w0));
    const b = tf.variable(tf.tensor(fx.b0));
    const params = c.groups
      ? [
          { variables: { w }, ...c.groups[0] },
          { variables: { b }, ...c.groups[1] },
        ]
      : { w, b };
    const opt = make(c.kind, params as ParamsInput<never>, c.options);
    let worst = 0;
    fx.grads.forEach((g, t) => {
      opt.lr = c.lrs[t];
      tf.tidy(() => opt.applyGradients({ [w.name]: tf.tensor(g.w), [b.name]: tf.tensor(g.b) }));
      expectClose(w, c.trajectory[t].w, {
        rtol: 1e-5,
        atol: 1e-7,
        what: `${c.name} w after step ${t + 1}`,
      });
      expectClose(b, c.trajectory[t].b, {
        rtol: 1e-5,
        atol: 1e-7,
        what: `${c.name} b after step ${t + 1}`,
      });
      worst = Math.max(
        worst,
        maxRelativeError(w, c.trajectory[t].w),
        maxRelativeError(b, c.trajectory[t].b),
      );
    });
    expect(worst).toBeLessThan(1e-5);
    if (process.env.FACE_REPORT)
      console.log(`${c.name}: max relative error ${worst.toExponential(2)}`);
    // The optimizer state equals torch's `optimizer.state` too.
    const state = opt.getState();
    for (const name of ['w', 'b'] as const) {
      expect(Object.keys(state.slots[name] ?? {}).sort()).toEqual(
        Object.keys(c.finalState[name])
          .map((k) => SLOT_NAMES[k])
          .sort(),
      );
      for (const [slot, expected] of Object.entries(c.finalState[name])) {
        expectClose(state.slots[name][slot], expected, {
          rtol: 1e-5,
          atol: 1e-7,
          what: `${c.name} ${name}.${slot}`,
        });
      }
      expect(state.steps[name]).toBe(6);
    }
    tf.dispose(Object.values(state.slots).flatMap((s) => Object.values(s)));
    opt.dispose();
    tf.dispose([w, b]);
  });
});

describe('optimizer state', () => {
  it('round-trips: a restored optimizer continues exactly like the original', () => {
    const w1 = tf.variable(tf.tensor(fx.w0));
    const w2 = tf.variable(tf.tensor(fx.w0));
    const a = new Adam({ w: w1 }, { lr: 0.01, amsgrad: true });
    const grads = fx.grads.map((g) => tf.tensor(g.w));
    for (const g of grads.slice(0, 3)) a.applyGradients({ [w1.name]: g });
    w2.assign(w1);
    const b = new Adam({ w: w2 }, { lr: 0.01, amsgrad: true });
    const state = a.getState();
    b.setState(state);
    tf.dispose(Object.values(state.slots.w));
    for (const g of grads.slice(3)) {
      a.applyGradients({ [w1.name]: g });
      b.applyGradients({ [w2.name]: g });
    }
    expect(Array.from(w2.dataSync())).toEqual(Array.from(w1.dataSync()));
    a.dispose();
    b.dispose();
    tf.dispose([w1, w2, ...grads]);
  });

  it('refuses state of another kind, unknown names or wrong shapes, changing nothing', () => {
    const w = tf.variable(tf.zeros([2, 2]));
    const sgd = new SGD({ w }, { lr: 0.1, momentum: 0.9 });
    sgd.applyGradients({ [w.name]: tf.ones([2, 2]) });
    const adam = new Adam({ w });
    expect(() => adam.setState(sgd.getState())).toThrow(/state\.kind must be 'adam'/);
    const bad = { kind: 'sgd', steps: { v: 1 }, slots: {} };
    expect(() => sgd.setState(bad)).toThrow(/the name of a variable/);
    const wrong = {
      kind: 'sgd',
      steps: { w: 1 },
      slots: { w: { momentum_buffer: tf.zeros([3]) } },
    };
    expect(() => sgd.setState(wrong)).toThrow(InvalidArgumentError);
    const kept = sgd.getState();
    expect(Array.from(kept.slots.w.momentum_buffer.dataSync())).toEqual([1, 1, 1, 1]);
    tf.dispose([w, kept.slots.w.momentum_buffer, wrong.slots.w.momentum_buffer]);
    sgd.dispose();
    adam.dispose();
  });
});

describe('parameter groups', () => {
  it('splitWeightDecay leaves biases and norm parameters undecayed', () => {
    const kernel = tf.variable(tf.ones([2, 2]));
    const bias = tf.variable(tf.ones([2]));
    const opt = new SGD(splitWeightDecay({ kernel, bias }), { lr: 1, weightDecay: 0.5 });
    opt.applyGradients({ [kernel.name]: tf.zeros([2, 2]), [bias.name]: tf.zeros([2]) });
    expect(Array.from(kernel.dataSync())).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(bias.dataSync())).toEqual([1, 1]);
    expect(opt.groups.map((g) => g.variables.map((v) => v.name))).toEqual([['kernel'], ['bias']]);
    opt.dispose();
    tf.dispose([kernel, bias]);
  });

  it('rejects a variable in two groups, nesterov without momentum, and bad rates', () => {
    const v = tf.variable(tf.zeros([1]));
    expect(() => new SGD([{ variables: { v } }, { variables: { v } }], { lr: 0.1 })).toThrow(
      /one parameter group only/,
    );
    expect(() => new SGD({ v }, { lr: 0.1, nesterov: true })).toThrow(
      /nesterov must be used with momentum > 0/,
    );
    expect(() => new Adam({ v }, { beta1: 1 })).toThrow(
      /options\.beta1 must be a finite number >= 0 and < 1/,
    );
    expect(() => new SGD([{ variables: { v }, lrScale: -1 }], { lr: 0.1 })).toThrow(
      /params\[0\]\.lrScale/,
    );
    expect(() => new SGD({}, { lr: 0.1 })).toThrow(/at least one variable/);
    v.dispose();
  });
});

describe('optimizer memory', () => {
  it.each(['sgd', 'adam', 'adamw'] as const)('%s keeps tensor count flat', async (kind) => {
    const w = tf.variable(tf.ones([4, 3]));
    const g = tf.fill([4, 3], 0.1);
    const opt = make(kind, { w }, { lr: 0.01, momentum: 0.9, amsgrad: true, weightDecay: 0.01 });
    await expectFlatMemory(() => opt.applyGradients({ [w.name]: g }), { steps: 20, what: kind });
    opt.dispose();
    tf.dispose([w, g]);
  });
});
