import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import {
  DataLoader,
  PKSampler,
  compose,
  normalize,
  randomHorizontalFlip,
  type Batch,
} from '@face/data';
import type { ArcFace } from '@face/losses';
import {
  AdamW,
  Trainer,
  cosineAnnealing,
  linearWarmup,
  nanGuard,
  splitWeightDecay,
  type Callback,
  type FitResult,
  type ResumableBatchSource,
  type StepLogs,
} from '@face/train';
import type { DemoConfig } from './config';
import type { DemoData } from './data';

export interface TrainOptions {
  /**
   * Called after every update with its logs (loss, the batch's top-1 accuracy of the cosine
   * logits as `metrics.accuracy`, rate) and the number of updates the run will make.
   */
  onStep?: (logs: StepLogs, totalSteps: number) => void | Promise<void>;
}

export interface TrainOutcome {
  result: FitResult;
  steps: number;
  /** Per-update loss and accuracy, in order. */
  losses: number[];
  accuracies: number[];
}

/** Batches of P people x K pictures, flipped at random and scaled to [-1, 1]. */
export function trainingLoader(data: DemoData, config: DemoConfig): DataLoader {
  return new DataLoader(data.train, {
    sampler: new PKSampler(data.train, {
      p: config.p,
      k: config.k,
      batchesPerEpoch: config.batchesPerEpoch,
      seed: config.seed,
    }),
    transform: compose([randomHorizontalFlip(), normalize()]),
    seed: config.seed,
  });
}

/**
 * Trains backbone + ArcFace head with AdamW (decay off for norms and biases), a linear warm-up
 * over the first epoch's tenth and a cosine decay to 0, and a NaN guard.
 */
export async function trainDemo(
  backbone: tfl.LayersModel,
  head: ArcFace,
  data: DemoData,
  config: DemoConfig,
  options: TrainOptions = {},
): Promise<TrainOutcome> {
  const loader = trainingLoader(data, config);
  const source: ResumableBatchSource<Batch> = {
    batches: ({ epoch, batchIndex }) => loader.epoch(epoch, { startBatch: batchIndex }),
    batchesPerEpoch: () => loader.batchesPerEpoch,
  };
  const totalSteps = loader.batchesPerEpoch * config.epochs;
  const warmupSteps = Math.max(1, Math.round(totalSteps / 10));
  const optimizer = new AdamW(splitWeightDecay([backbone, ...head.trainableVariables]), {
    lr: config.lr,
    weightDecay: 5e-4,
  });
  const losses: number[] = [];
  const accuracies: number[] = [];
  const progress: Callback = {
    name: 'demo-progress',
    async onBatchEnd(logs) {
      losses.push(logs.loss);
      accuracies.push(logs.metrics.accuracy);
      await options.onStep?.(logs, totalSteps);
    },
  };
  const trainer = new Trainer<Batch>({
    optimizer,
    lossFn: ({ images, labels: labelTensor, indices }) => {
      // Labels as an array for the head, which validates them without reading a tensor back from
      // the GPU; the accuracy compares on the backend with the loader's own labels tensor.
      const labels = indices.map((i) => data.train.labels[i]);
      const embeddings = backbone.apply(images, { training: true }) as tf.Tensor2D;
      const loss = head.loss(embeddings, labels);
      const predicted = tf.argMax(head.logits(embeddings), 1);
      const accuracy = tf.mean(tf.cast(tf.equal(predicted, labelTensor), 'float32'));
      return { loss, metrics: { accuracy } };
    },
    schedule: linearWarmup(cosineAnnealing(config.lr, Math.max(1, totalSteps - warmupSteps)), {
      warmupSteps,
    }),
    rng: config.seed,
    callbacks: [nanGuard(), progress],
  });
  const result = await trainer.fit(source, { epochs: config.epochs });
  optimizer.dispose();
  return { result, steps: trainer.step, losses, accuracies };
}
