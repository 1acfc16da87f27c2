import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '@face/core';
import { isTraining, singleInput, singleShape } from '@face/norms';

describe('layer helpers shared by @face/layers and @face/pretrained', () => {
  it('singleInput takes a bare tensor or a one-element list, and names the layer otherwise', () => {
    const x = tf.zeros([1, 2]);
    expect(singleInput('L', x)).toBe(x);
    expect(singleInput('L', [x])).toBe(x);
    expect(() => singleInput('L', [x, x])).toThrow(ShapeError);
    expect(() => singleInput('L', [x, x])).toThrow(/^L: inputs .*exactly one input tensor/);
    x.dispose();
  });

  it('singleShape unwraps a one-shape list and keeps a bare shape', () => {
    expect(singleShape([null, 4, 4, 3])).toEqual([null, 4, 4, 3]);
    expect(singleShape([[null, 8]])).toEqual([null, 8]);
  });

  it('isTraining is true only for an explicit training: true', () => {
    expect(isTraining({ training: true })).toBe(true);
    expect(isTraining({ training: 1 })).toBe(false);
    expect(isTraining(undefined)).toBe(false);
  });
});
