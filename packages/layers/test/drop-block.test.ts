import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expectClose, expectFlatMemory, expectNoLeak, loadFixture } from '@face/test-support';
import { InvalidArgumentError, Rng } from '@face/core';
import {
  DropBlock2D,
  dropBlock2d,
  dropBlockGamma,
  dropBlockMask,
  dropBlockSchedule,
  effectiveBlockSize,
  setDropBlockStep,
} from '@face/layers';
import { nchwToNhwc } from './support';

interface DropBlockFixture {
  exact: {
    shape: number[];
    p: number;
    blockSize: number;
    effectiveBlockSize: number;
    gamma: number;
    x: number[];
    noise: number[];
    noise_shape: number[];
    mask: number[];
    y: number[];
  }[];
  statistics: {
    shape: number[];
    p: number;
    blockSize: number;
    kept_fraction: number;
    output_mean: number;
  }[];
}
const fixture = loadFixture<DropBlockFixture>(import.meta.url, 'dropblock');

describe('dropBlock2d against torchvision.ops.drop_block2d', () => {
  it.each(
    fixture.exact.map((c) => [`${c.shape.join('x')} p ${c.p} block ${c.blockSize}`, c] as const),
  )("given torchvision's block centres, the same mask and output: %s", async (_, c) => {
    const [, , h, w] = c.shape;
    expect(effectiveBlockSize(c.blockSize, h, w)).toBe(c.effectiveBlockSize);
    expect(dropBlockGamma(c.p, c.effectiveBlockSize, h, w)).toBeCloseTo(c.gamma, 12);
    const noise = nchwToNhwc(c.noise, c.noise_shape);
    const x = nchwToNhwc(c.x, c.shape);
    const mask = dropBlockMask(noise, c.effectiveBlockSize);
    expect(Array.from(mask.dataSync())).toEqual(Array.from(nchwToNhwc(c.mask, c.shape).dataSync()));
    const y = await expectNoLeak(() => dropBlock2d(x, { p: c.p, blockSize: c.blockSize, noise }));
    expectClose(y, nchwToNhwc(c.y, c.shape), { rtol: 1e-6, atol: 0 });
    tf.dispose([noise, x, mask, y]);
  });

  it.each(
    fixture.statistics.map(
      (s) => [`p ${s.p} block ${s.blockSize} on ${s.shape.join('x')}`, s] as const,
    ),
  )('keeps about 1 - p, as torchvision does, and preserves the mean: %s', (_, s) => {
    const [n, c, h, w] = s.shape;
    const ones = tf.ones([n, h, w, c]) as tf.Tensor4D;
    const rng = new Rng(11);
    const draws = 40;
    let kept = 0;
    let mean = 0;
    for (let i = 0; i < draws; i++) {
      tf.tidy(() => {
        const y = dropBlock2d(ones, { p: s.p, blockSize: s.blockSize, rng });
        kept += tf.mean(tf.cast(tf.notEqual(y, 0), 'float32')).dataSync()[0] / draws;
        mean += tf.mean(y).dataSync()[0] / draws;
      });
    }
    // torchvision's gamma approximates; both land near 1 - p, and near each other.
    expect(Math.abs(kept - s.kept_fraction)).toBeLessThan(0.01);
    expect(Math.abs(kept - (1 - s.p))).toBeLessThan(0.03);
    expect(mean).toBeCloseTo(s.output_mean, 2);
    ones.dispose();
  });

  it('is the identity (a copy) in inference and for p = 0; validates its options', () => {
    const x = tf.randomNormal([1, 4, 4, 2]) as tf.Tensor4D;
    for (const y of [
      dropBlock2d(x, { p: 0.5, blockSize: 3, training: false }),
      dropBlock2d(x, { p: 0, blockSize: 3 }),
    ]) {
      expect(y).not.toBe(x);
      expect(Array.from(y.dataSync())).toEqual(Array.from(x.dataSync()));
    }
    expect(() => dropBlock2d(x, { p: 1.5, blockSize: 3 })).toThrow(InvalidArgumentError);
    expect(() => dropBlock2d(x, { p: 0.1, blockSize: 4 })).toThrow(
      /blockSize must be an odd integer/,
    );
    expect(() => dropBlock2d(tf.zeros([4, 4]) as never, { p: 0.1, blockSize: 3 })).toThrow(
      /rank 4/,
    );
    expect(() => dropBlock2d(x, { p: 0.1, blockSize: 3, noise: tf.zeros([1, 4, 4, 2]) })).toThrow(
      /noise must have shape \[1, 2, 2, 2\]/,
    );
    // A 7-block on a 4x4 map: clipped to 4, then to the odd 3 (torchvision would fail here).
    expect(effectiveBlockSize(7, 4, 6)).toBe(3);
  });

  it('follows the linear schedule of p', () => {
    expect([0, 5, 10, 20].map((step) => dropBlockSchedule(0.2, step, 10))).toEqual([
      0, 0.1, 0.2, 0.2,
    ]);
    expect(dropBlockSchedule(0.2, 0, 0)).toBe(0.2);
  });
});

describe('DropBlock2D layer', () => {
  it('drops only in training, advances its schedule, and is reproducible from its seed', async () => {
    const x = tf.ones([2, 8, 8, 3]);
    const make = () => new DropBlock2D({ p: 0.3, blockSize: 3, seed: 5, scheduleSteps: 4 });
    const layer = make();
    expect(Array.from((layer.apply(x) as tf.Tensor).dataSync())).toEqual(Array.from(x.dataSync()));
    expect(layer.step).toBe(0);
    // Step 0 of the schedule: p = 0, nothing dropped.
    const first = layer.apply(x, { training: true }) as tf.Tensor;
    expect(tf.min(first).dataSync()[0]).toBe(1);
    expect([layer.step, layer.currentP()]).toEqual([1, 0.3 / 4]);
    const outputs = [1, 2, 3].map(() =>
      Array.from((layer.apply(x, { training: true }) as tf.Tensor).dataSync()),
    );
    expect(outputs[2].some((v) => v === 0)).toBe(true);
    // The same seed replays the same masks.
    const replay = make();
    replay.apply(x, { training: true });
    expect(
      [1, 2, 3].map(() =>
        Array.from((replay.apply(x, { training: true }) as tf.Tensor).dataSync()),
      ),
    ).toEqual(outputs);
    await expectFlatMemory(() => tf.dispose(layer.apply(x, { training: true }) as tf.Tensor), {
      steps: 5,
    });
  });

  it('setDropBlockStep sets every DropBlock2D of a model', () => {
    const input = tfl.input({ shape: [8, 8, 2] });
    const a = new DropBlock2D({ p: 0.1, blockSize: 3, scheduleSteps: 100 });
    const b = new DropBlock2D({ p: 0.2, blockSize: 5, scheduleSteps: 100 });
    const model = tfl.model({
      inputs: input,
      outputs: b.apply(a.apply(input)) as tfl.SymbolicTensor,
    });
    setDropBlockStep(model, 50);
    expect([a.currentP(), b.currentP()]).toEqual([0.05, 0.1]);
    expect(() => setDropBlockStep(model, -1)).toThrow(/step must be an integer >= 0/);
  });
});
