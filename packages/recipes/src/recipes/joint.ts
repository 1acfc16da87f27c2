import type * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkNumber } from '@face/core';
import { getMetricLoss, jointLoss } from '@face/losses';
import { batchAccuracy, recipeState, resolveHead } from './classification';
import type { ClassifierHead, HeadKind } from './heads';
import { pkSampler, type TripletOptions } from './pk';
import { RecipeRun, backboneEmbeddingDim, checkTrainSet, type RecipeOptions } from './run';
import { DEFAULT_LABEL_SMOOTHING } from './defaults';

export interface JointRecipeOptions extends RecipeOptions {
  /** Identities per batch. Default 8. */
  p?: number;
  /** Images per identity per batch. Default 4. */
  k?: number;
  /** Weights of `w1 * CE + w2 * triplet`. Default { ce: 0.7, triplet: 0.3 }. */
  weights?: { ce?: number; triplet?: number };
  /** Classifier of the CE term. Default 'linear'. */
  head?: HeadKind | ClassifierHead;
  headOptions?: { scale?: number; margin?: number };
  /** Label smoothing of the CE term. Default 0.1. */
  labelSmoothing?: number;
  triplet?: TripletOptions;
}

/**
 * Recipe 2, joint loss: `w1 * CE(classifier(e), y) + w2 * Triplet(e)` in one step, from one
 * forward pass; the triplets are mined in each P x K batch (batch-hard by default) on
 * L2-normalized embeddings. Logs `ce`, `triplet` (unweighted) and `accuracy`.
 */
export function jointRecipe(options: JointRecipeOptions): RecipeRun {
  const fn = 'jointRecipe';
  const o = options ?? ({} as JointRecipeOptions);
  checkTrainSet(fn, o.train);
  const numClasses = o.train?.classNames?.length;
  checkInteger(fn, 'train.classNames.length', numClasses, { min: 2 });
  const seed = o.seed ?? 0;
  const embeddingDim = backboneEmbeddingDim(fn, o.backbone);
  const w1 = checkNumber(fn, 'weights.ce', o.weights?.ce ?? 0.7, { min: 0 });
  const w2 = checkNumber(fn, 'weights.triplet', o.weights?.triplet ?? 0.3, { min: 0 });
  const eps = checkNumber(fn, 'labelSmoothing', o.labelSmoothing ?? DEFAULT_LABEL_SMOOTHING, {
    min: 0,
    max: 1,
  });
  const margin = checkNumber(fn, 'triplet.margin', o.triplet?.margin ?? 0.2, { min: 0 });
  const sampler = pkSampler(fn, o.train, { p: o.p, k: o.k, seed });
  const head = resolveHead(fn, o.head ?? 'linear', {
    embeddingDim,
    numClasses,
    seed,
    ...o.headOptions,
  });
  // The registry's triplet term: batch-hard by default, on L2-normalized embeddings.
  const triplet = getMetricLoss('triplet').create(
    { margin, miner: o.triplet?.miner ?? 'batch-hard' },
    { embeddingDim, numClasses, fn, argument: 'triplet' },
  );
  type Input = { embeddings: tf.Tensor2D; labels: Int32Array };
  const objective = jointLoss<Input>([
    {
      name: 'ce',
      weight: w1,
      loss: (b) => head.loss(b.embeddings, b.labels, { labelSmoothing: eps }),
    },
    {
      name: 'triplet',
      weight: w2,
      loss: (b) => triplet.loss(b.embeddings, b.labels),
    },
  ]);
  return new RecipeRun(fn, o, {
    recipe: 'joint',
    sampler,
    head,
    lossFn: ({ images, labels }) => {
      const embeddings = o.backbone.apply(images, { training: true }) as tf.Tensor2D;
      const { total, terms } = objective.evaluate({ embeddings, labels });
      return {
        loss: total,
        metrics: { ...terms, accuracy: batchAccuracy(head.logits(embeddings), labels) },
      };
    },
    config: {
      head: head.toJson(),
      weights: { ce: w1, triplet: w2 },
      labelSmoothing: eps,
      triplet: {
        margin,
        miner: typeof o.triplet?.miner === 'object' ? 'custom' : (o.triplet?.miner ?? 'batch-hard'),
      },
      p: sampler.p,
      k: sampler.k,
    },
    stateCallback: recipeState(head, null),
  });
}
