import { describe, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { expectFlatMemory, expectNoLeak } from '@face/test-support';
import {
  ArcFace,
  batchHardMiner,
  CenterLoss,
  CombinedMargin,
  contrastiveLoss,
  CosFace,
  crossEntropy,
  jointLoss,
  klDivergence,
  type MarginHead,
  NormalizedSoftmax,
  OnlineLabelSmoothing,
  semiHardTripletsMiner,
  SphereFace,
  tripletLoss,
} from '@face/losses';

const N = 8;
const D = 6;
const C = 4;
const labels = [0, 1, 2, 3, 0, 1, 2, 3];

/** 100 optimizer steps (loss + gradient + update) must leave tensor count and bytes flat. */
async function hundredSteps(loss: (x: tf.Tensor2D) => tf.Scalar, extra: tf.Variable[] = []) {
  const x = tf.variable(tf.randomNormal([N, D], 0, 1, 'float32', 1) as tf.Tensor2D);
  const optimizer = tf.train.sgd(0.01);
  await expectFlatMemory(
    () => {
      optimizer.minimize(() => loss(x), false, [x, ...extra]);
    },
    { steps: 100, what: 'loss + gradient step' },
  );
  optimizer.dispose();
  x.dispose();
}

describe('construction and dispose leave no tensor', () => {
  it.each([
    ['ArcFace', () => new ArcFace({ embeddingDim: D, numClasses: C })],
    ['SphereFace', () => new SphereFace({ embeddingDim: D, numClasses: C })],
    ['CenterLoss', () => new CenterLoss({ numClasses: C, embeddingDim: D })],
    ['OnlineLabelSmoothing', () => new OnlineLabelSmoothing({ numClasses: C })],
  ] as const)('%s', async (_name, make) => {
    await expectNoLeak(() => {
      make().dispose();
    });
  });
});

describe('no tensor leaks across 100 loss + gradient steps', () => {
  const heads: (() => MarginHead)[] = [
    () => new NormalizedSoftmax({ embeddingDim: D, numClasses: C }),
    () => new CosFace({ embeddingDim: D, numClasses: C }),
    () => new ArcFace({ embeddingDim: D, numClasses: C }),
    () => new CombinedMargin({ embeddingDim: D, numClasses: C }),
    () => new SphereFace({ embeddingDim: D, numClasses: C }),
  ];
  it.each(heads.map((make) => [make().className, make] as const))('%s head', async (_n, make) => {
    const head = make();
    await hundredSteps(
      (x) => head.loss(x, labels, { labelSmoothing: 0.1 }),
      head.trainableVariables,
    );
    head.dispose();
  });

  it('triplet (batch hard) and contrastive', async () => {
    await hundredSteps((x) => tripletLoss(x, labels, { miner: batchHardMiner() }));
    await hundredSteps((x) =>
      tripletLoss(x, labels, {
        miner: semiHardTripletsMiner({ margin: 1 }),
        margin: 1,
        reduction: 'meanNonZero',
      }),
    );
    await hundredSteps((x) => contrastiveLoss(x, labels, { distance: 'cosine' }));
  });

  it('center loss, alpha rule and learnable', async () => {
    const alpha = new CenterLoss({ numClasses: C, embeddingDim: D });
    await hundredSteps((x) => alpha.loss(x, labels));
    alpha.dispose();
    const learnable = new CenterLoss({ numClasses: C, embeddingDim: D, learnable: true });
    await hundredSteps((x) => learnable.loss(x, labels), learnable.trainableVariables);
    learnable.dispose();
  });

  it('online label smoothing across epoch ends, and KL', async () => {
    const ols = new OnlineLabelSmoothing({ numClasses: D });
    let step = 0;
    await hundredSteps((x) => {
      if (++step % 10 === 0) ols.nextEpoch();
      return ols.loss(x, labels);
    });
    ols.dispose();
    const target = tf.softmax(tf.randomNormal([N, D], 0, 1, 'float32', 2)) as tf.Tensor2D;
    await hundredSteps((x) => klDivergence(tf.logSoftmax(x), target));
    target.dispose();
  });

  it('joint CE + triplet', async () => {
    const head = new ArcFace({ embeddingDim: D, numClasses: C });
    const joint = jointLoss<tf.Tensor2D>([
      { weight: 0.7, loss: (x) => crossEntropy(head.logits(x, labels), labels) },
      { weight: 0.3, loss: (x) => tripletLoss(x, labels) },
    ]);
    await hundredSteps(joint, head.trainableVariables);
    const x = tf.ones([N, D]) as tf.Tensor2D;
    const { total, terms } = await expectNoLeak(() => joint.evaluate(x));
    tf.dispose([x, total, ...Object.values(terms)]);
    head.dispose();
  });
});
