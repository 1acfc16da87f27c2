import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ShapeError } from '@face/core';
import {
  ArcFace,
  batchHardMiner,
  CenterLoss,
  contrastiveLoss,
  CosFace,
  crossEntropy,
  jointLoss,
  OnlineLabelSmoothing,
  SphereFace,
  tripletLoss,
  tripletMarginLoss,
} from '@face/losses';

/** Asserts `fn` throws `type` whose message names `argument`. */
function expectArgumentError(
  fn: () => unknown,
  type: typeof InvalidArgumentError,
  argument: string | RegExp,
) {
  let thrown: unknown;
  try {
    tf.dispose(fn() as tf.Tensor);
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(type);
  expect((thrown as InvalidArgumentError).argument).toMatch(argument);
}

describe('bad input gives a typed error naming the argument', () => {
  const head = new ArcFace({ embeddingDim: 4, numClasses: 3 });
  const x = tf.ones([2, 4]) as tf.Tensor2D;

  it.each([
    ['a label equal to numClasses (1-based data)', [0, 3], 'labels[1]'],
    ['a negative label', [-1, 0], 'labels[0]'],
    ['a fractional label', [0, 1.5], 'labels[1]'],
    ['a NaN label', [NaN, 0], 'labels[0]'],
  ])('%s', (_name, labels, argument) => {
    expectArgumentError(() => head.loss(x, labels), InvalidArgumentError, argument);
    expectArgumentError(() => head.logits(x, labels), InvalidArgumentError, argument);
    expectArgumentError(
      () => crossEntropy(tf.ones([2, 3]) as tf.Tensor2D, labels),
      InvalidArgumentError,
      /^target\[/,
    );
  });

  it('label tensors are validated too', () => {
    const labels = tf.tensor1d([0, 7], 'int32');
    expectArgumentError(() => head.loss(x, labels), InvalidArgumentError, 'labels[1]');
    labels.dispose();
  });

  it('labels at both ends of the range are accepted', () => {
    const v = head.loss(x, [0, 2]);
    expect(Number.isFinite(v.dataSync()[0])).toBe(true);
    v.dispose();
  });

  it('embedding size mismatch, wrong rank, wrong label count', () => {
    expectArgumentError(
      () => head.loss(tf.ones([2, 5]) as tf.Tensor2D, [0, 1]),
      ShapeError,
      'embeddings',
    );
    expectArgumentError(
      () => head.loss(tf.ones([4]) as unknown as tf.Tensor2D, [0]),
      ShapeError,
      'embeddings',
    );
    expectArgumentError(() => head.loss(x, [0, 1, 2]), ShapeError, 'labels');
    const center = new CenterLoss({ numClasses: 3, embeddingDim: 5 });
    expectArgumentError(() => center.loss(x, [0, 1]), ShapeError, 'embeddings');
    center.dispose();
  });

  it('a batch of one for triplet mining', () => {
    const one = tf.ones([1, 4]) as tf.Tensor2D;
    expectArgumentError(() => batchHardMiner().mine(one, [0]), ShapeError, 'embeddings');
    expectArgumentError(() => tripletLoss(one, [0]), ShapeError, 'embeddings');
    expectArgumentError(() => contrastiveLoss(one, [0]), ShapeError, 'embeddings');
    one.dispose();
  });

  it('a custom miner that returns indices outside the batch', () => {
    const bad = {
      type: 'all' as const,
      mine: () => ({
        anchors: Int32Array.of(0),
        positives: Int32Array.of(1),
        negatives: Int32Array.of(2),
      }),
      getConfig: () => ({
        type: 'all' as const,
        margin: null,
        distance: { kind: 'euclidean' as const, normalize: false },
      }),
    };
    expectArgumentError(
      () => tripletLoss(x, [0, 0], { miner: bad }),
      InvalidArgumentError,
      /miner/,
    );
  });

  it('triplet tensors of different shapes', () => {
    const y = tf.ones([2, 3]) as tf.Tensor2D;
    expectArgumentError(() => tripletMarginLoss(x, x, y), ShapeError, 'negative');
    y.dispose();
  });

  it('unknown or misspelt options are rejected, never dropped', () => {
    expectArgumentError(
      () => tripletLoss(x, [0, 0], { magin: 0.3 } as object),
      InvalidArgumentError,
      'options',
    );
    expectArgumentError(
      () => new CosFace({ embeddingDim: 4, numClasses: 3, scal: 30 } as never),
      InvalidArgumentError,
      'options',
    );
    expectArgumentError(
      () => head.loss(x, [0, 1], { smoothing: 0.1 } as object),
      InvalidArgumentError,
      'options',
    );
    expect(() => jointLoss([{ loss: () => tf.scalar(0), weight: 1, wieght: 2 } as never])).toThrow(
      /unknown option names/,
    );
  });

  it('out-of-range settings', () => {
    expectArgumentError(
      () => new ArcFace({ embeddingDim: 4, numClasses: 3, scale: 0 }),
      InvalidArgumentError,
      'config.scale',
    );
    expectArgumentError(
      () => new ArcFace({ embeddingDim: 4, numClasses: 3, margin: -0.1 }),
      InvalidArgumentError,
      'config.margin',
    );
    expectArgumentError(
      () => new SphereFace({ embeddingDim: 4, numClasses: 3, margin: 2.5 }),
      InvalidArgumentError,
      'config.margin',
    );
    expectArgumentError(
      () => new OnlineLabelSmoothing({ numClasses: 1 }),
      InvalidArgumentError,
      'config.numClasses',
    );
    expectArgumentError(
      () => crossEntropy(tf.ones([2, 3]) as tf.Tensor2D, [0, 1], { labelSmoothing: 1 }),
      InvalidArgumentError,
      'options.labelSmoothing',
    );
    expectArgumentError(
      () => tripletLoss(x, [0, 0], { reduction: 'avg' as 'mean' }),
      InvalidArgumentError,
      'options.reduction',
    );
    expectArgumentError(() => jointLoss([]), InvalidArgumentError, 'terms');
  });

  it('weights of the wrong shape', () => {
    const w = tf.ones([3, 4]);
    expectArgumentError(() => head.setWeights([w]), ShapeError, 'weights[0]');
    const sphere = new SphereFace({ embeddingDim: 4, numClasses: 3 });
    expectArgumentError(
      () => sphere.setState({ iteration: -1 }),
      InvalidArgumentError,
      'state.iteration',
    );
    sphere.dispose();
    w.dispose();
  });
});
