import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeak } from '@face/test-support';
import { InvalidArgumentError } from '@face/core';
import { normalize, normalizeImage } from '@face/data';

describe('normalizeImage', () => {
  it('maps 0..255 to [-1, 1] by default', async () => {
    const x = tf.tensor4d([0, 127.5, 255, 51], [1, 1, 1, 4]);
    const y = await expectNoLeak(() => normalizeImage(x));
    expectClose(y, [[[[-1, 0, 1, -0.6]]]]);
    tf.dispose([x, y]);
  });

  it('normalize() keeps no tensor (its argument check runs on a probe it disposes)', async () => {
    await expectNoLeak(() => {
      normalize({ mean: [0.5, 0.4, 0.3] });
    });
  });

  it('normalizes per channel', () => {
    const x = tf.tensor4d([255, 0, 102], [1, 1, 1, 3], 'int32');
    const y = normalizeImage(x, { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    expectClose(y, [[[[(1 - 0.485) / 0.229, -0.456 / 0.224, (0.4 - 0.406) / 0.225]]]], {
      rtol: 1e-6,
    });
    expect(y.dtype).toBe('float32');
    tf.dispose([x, y]);
  });

  it('rejects a zero std', () => {
    expect(() => normalizeImage(tf.zeros([1, 1, 1, 3]), { std: [0.5, 0, 0.5] })).toThrow(
      InvalidArgumentError,
    );
    expect(() => normalizeImage(tf.zeros([1, 1, 1, 3]), { std: [0.5, 0, 0.5] })).toThrow('std[1]');
  });
});
