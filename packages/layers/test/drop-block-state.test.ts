import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, isStateful, type JsonValue } from '@face/core';
import { DropBlock2D } from '@face/layers';

const masks = (layer: DropBlock2D, x: tf.Tensor, n: number): number[][] =>
  Array.from({ length: n }, () => {
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    const v = Array.from(y.dataSync());
    y.dispose();
    return v;
  });

describe('DropBlock2D as Stateful', () => {
  it('a layer restored from its JSON state draws the masks the original would have', () => {
    const x = tf.ones([1, 8, 8, 2]);
    const make = (seed: number) =>
      new DropBlock2D({ p: 0.4, blockSize: 3, seed, scheduleSteps: 3 });
    const a = make(5);
    expect(isStateful(a)).toBe(true);
    masks(a, x, 2);
    const saved = JSON.parse(JSON.stringify(a.getState())) as JsonValue;
    expect(saved).toEqual({ step: 2, rng: a.rng.state() });
    const expected = masks(a, x, 3);
    // Another seed: only the restored state can make it agree.
    const b = make(99);
    b.setState(saved);
    expect(b.step).toBe(2);
    expect(masks(b, x, 3)).toEqual(expected);
    x.dispose();
  });

  it('refuses a state of the wrong shape, changing nothing', () => {
    const layer = new DropBlock2D({ p: 0.1, blockSize: 3, seed: 1 });
    const before = layer.getState();
    for (const bad of [null, [1, 2], { step: -1, rng: [1, 2, 3, 4] }, { step: 1, rng: [0, 0] }]) {
      expect(() => layer.setState(bad)).toThrow(InvalidArgumentError);
    }
    expect(() => layer.setState({ rng: [1, 2, 3, 4] })).toThrow(/state\.step/);
    expect(layer.getState()).toEqual(before);
  });
});
