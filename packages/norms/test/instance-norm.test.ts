import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose } from '@face/test-support';
import { instanceNorm, InstanceNorm } from '@face/norms';
import { casesOf, checkAgainstTorch, FORWARD, nchw } from './support';

describe('instanceNorm op against torch.nn.InstanceNorm', () => {
  it.each(casesOf('instance'))('%s', (_, c) => {
    for (const layout of ['first', 'last'] as const) {
      const axis = layout === 'first' ? 1 : -1;
      checkAgainstTorch(c, layout, (x, gamma, beta) =>
        instanceNorm(x, { gamma, beta, eps: c.eps, axis }),
      );
    }
  });

  it('refuses a single spatial position and a rank without spatial axes', () => {
    expect(() => instanceNorm(tf.zeros([2, 1, 1, 3]))).toThrow(/more than one spatial position/);
    expect(() => instanceNorm(tf.zeros([2, 3]))).toThrow(/rank >= 3/);
  });
});

describe('InstanceNorm layer', () => {
  it.each(casesOf('instance'))('matches PyTorch channels-last: %s', (_, c) => {
    const layer = new InstanceNorm({ center: c.affine, scale: c.affine, eps: c.eps });
    const x = nchw(c.x, c.shape, 'last');
    layer.build(x.shape);
    expect(layer.weights).toHaveLength(c.affine ? 2 : 0);
    if (c.affine) layer.setWeights([tf.tensor1d(c.gamma!), tf.tensor1d(c.beta!)]);
    expectClose(layer.apply(x) as tf.Tensor, nchw(c.y, c.shape, 'last'), FORWARD);
  });
});
