import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkInteger, checkNumber } from '@face/core';
import { CenterLoss, tripletLoss } from '@face/losses';
import type { JsonValue } from '../json';
import type { NamedVariable } from '../variables';
import { pkSampler, resolveMiner, tripletDistance, type TripletOptions } from './pk';
import { RecipeRun, backboneEmbeddingDim, checkTrainSet, type RecipeOptions } from './run';

export interface MetricRecipeOptions extends RecipeOptions {
  /** Identities per batch. Default 8. */
  p?: number;
  /** Images per identity per batch. Default 4. */
  k?: number;
  /** The triplet term (weight default 1), or false for none. Default on. */
  triplet?: (TripletOptions & { weight?: number }) | false;
  /**
   * The center loss term (Wen et al. 2016): `lambda` is its weight (default 1 here: there is no
   * softmax term to balance), `alpha` the centers' rate. Off by default. Alone it collapses the
   * embeddings (all of them at one point is a minimum): pair it with the triplet term.
   */
  center?: { lambda?: number; alpha?: number; learnable?: boolean } | false;
}

/**
 * Metric learning without a classifier: a triplet loss mined in P x K batches and/or a center
 * loss, on the embedding. The centers (updated by the paper's alpha rule, or learnable) are
 * checkpointed. Verification uses the embeddings; there are no identity logits.
 */
export function metricRecipe(options: MetricRecipeOptions): RecipeRun {
  const fn = 'metricRecipe';
  const o = options ?? ({} as MetricRecipeOptions);
  checkTrainSet(fn, o.train);
  const seed = o.seed ?? 0;
  const embeddingDim = backboneEmbeddingDim(fn, o.backbone);
  const tripletSpec = o.triplet === undefined ? {} : o.triplet;
  const centerSpec = o.center ?? false;
  if (tripletSpec === false && centerSpec === false)
    throw new InvalidArgumentError(fn, 'triplet', false, 'a triplet term, a center term, or both');
  const sampler = pkSampler(fn, o.train, { p: o.p, k: o.k, seed });
  let triplet: ((e: tf.Tensor2D, y: Int32Array) => tf.Scalar) | null = null;
  let tripletConfig: JsonValue = null;
  if (tripletSpec) {
    const margin = checkNumber(fn, 'triplet.margin', tripletSpec.margin ?? 0.2, { min: 0 });
    const weight = checkNumber(fn, 'triplet.weight', tripletSpec.weight ?? 1, { min: 0 });
    const miner = resolveMiner(fn, tripletSpec.miner ?? 'batch-hard', margin);
    triplet = (e, y) =>
      tf.mul(
        tripletLoss(e, y, { margin, miner, distance: tripletDistance() }),
        weight,
      ) as tf.Scalar;
    tripletConfig = {
      margin,
      weight,
      miner: typeof tripletSpec.miner === 'object' ? 'custom' : (tripletSpec.miner ?? 'batch-hard'),
    };
  }
  let center: CenterLoss | null = null;
  const state: NamedVariable[] = [];
  const extraVariables: NamedVariable[] = [];
  if (centerSpec) {
    const numClasses = checkInteger(fn, 'train.classNames.length', o.train.classNames.length, {
      min: 1,
    });
    center = new CenterLoss({
      numClasses,
      embeddingDim,
      lambda: centerSpec.lambda ?? 1,
      alpha: centerSpec.alpha ?? 0.5,
      learnable: centerSpec.learnable ?? false,
    });
    (center.learnable ? extraVariables : state).push({
      name: 'center/centers',
      variable: center.centers,
    });
  }
  return new RecipeRun(fn, o, {
    recipe: 'metric',
    sampler,
    head: null,
    extraVariables,
    state,
    lossFn: ({ images, labels }) => {
      const embeddings = o.backbone.apply(images, { training: true }) as tf.Tensor2D;
      const metrics: Record<string, tf.Tensor> = {};
      const terms: tf.Scalar[] = [];
      if (triplet) terms.push((metrics.triplet = triplet(embeddings, labels)) as tf.Scalar);
      if (center) terms.push((metrics.center = center.loss(embeddings, labels)) as tf.Scalar);
      return { loss: tf.addN(terms) as tf.Scalar, metrics };
    },
    config: {
      triplet: tripletConfig,
      center: center
        ? { lambda: center.lambda, alpha: center.alpha, learnable: center.learnable }
        : null,
      p: sampler.p,
      k: sampler.k,
    },
    dispose: () => center?.dispose(),
  });
}
