import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@face/test-support';
import { ShapeError } from '@face/core';
import { groupNorm, GroupNorm } from '@face/norms';
import { casesOf, checkAgainstTorch, FORWARD, nchw } from './support';

describe('groupNorm op against torch.nn.GroupNorm', () => {
  it.each(casesOf('group'))('%s', (_, c) => {
    for (const layout of ['first', 'last'] as const) {
      const axis = layout === 'first' ? 1 : -1;
      checkAgainstTorch(c, layout, (x, gamma, beta) =>
        groupNorm(x, { groups: c.groups!, gamma, beta, eps: c.eps, axis }),
      );
    }
  });

  it('rejects channels that do not divide into the groups, saying the shape', () => {
    const x = tf.zeros([2, 4, 4, 6]);
    expect(() => groupNorm(x, { groups: 4 })).toThrow(ShapeError);
    expect(() => groupNorm(x, { groups: 4 })).toThrow(
      /x must have a channel count \(axis 3\) divisible by groups = 4, got shape \[2, 4, 4, 6\]/,
    );
    expect(() => groupNorm(x, { groups: 0 })).toThrow(/groups must be an integer >= 1/);
    expect(() => groupNorm(tf.zeros([6]), { groups: 2 })).toThrow(/rank >= 2/);
    expect(() => new GroupNorm({ groups: 4 }).apply(x)).toThrow(/divisible by groups = 4/);
    x.dispose();
  });
});

describe('GroupNorm layer', () => {
  it.each(casesOf('group'))('matches PyTorch channels-last: %s', (_, c) => {
    const layer = new GroupNorm({ groups: c.groups!, eps: c.eps });
    const x = nchw(c.x, c.shape, 'last');
    layer.build(x.shape);
    layer.setWeights([tf.tensor1d(c.gamma!), tf.tensor1d(c.beta!)]);
    // Training mode changes nothing: there are no running statistics.
    for (const training of [false, true]) {
      expectClose(layer.apply(x, { training }) as tf.Tensor, nchw(c.y, c.shape, 'last'), FORWARD);
    }
  });
});
