import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkInteger, checkNumber } from '@face/core';
import {
  getMetricLoss,
  metricLossNames,
  type MetricLossName,
  type MetricLossTerm,
} from '@face/losses';
import type { JsonValue, NamedVariable } from '@face/train';
import { MINER_KINDS, pkSampler, type TripletOptions } from './pk';
import { RecipeRun, backboneEmbeddingDim, checkTrainSet, type RecipeOptions } from './run';

/** One weighted term of the metric recipe: a registered metric loss and its options. */
export interface MetricLossSpec {
  /** A metric loss of @face/losses's registry: 'triplet', 'contrastive', 'center', or yours. */
  kind: MetricLossName;
  /** Default 1. */
  weight?: number;
  /** The loss's own options (`getMetricLoss(kind)`'s: triplet `{ margin, miner }`, ...). */
  options?: object;
  /** Key of the term in logs and variable names. Default `kind`. */
  name?: string;
}

export interface MetricRecipeOptions extends RecipeOptions {
  /** Identities per batch. Default 8. */
  p?: number;
  /** Images per identity per batch. Default 4. */
  k?: number;
  /**
   * The loss: a weighted sum of registered metric losses, e.g.
   * `[{ kind: 'triplet', weight: 1 }, { kind: 'center', weight: 0.01 }]`. Replaces the
   * `triplet` / `center` shorthand (give one or the other).
   */
  losses?: readonly MetricLossSpec[];
  /** Shorthand: the triplet term (weight default 1), or false for none. Default on. */
  triplet?: (TripletOptions & { weight?: number }) | false;
  /**
   * Shorthand: the center loss term (Wen et al. 2016): `lambda` is its weight (default 1 here:
   * there is no softmax term to balance), `alpha` the centers' rate. Off by default. Alone it
   * collapses the embeddings (all of them at one point is a minimum): pair it with the triplet term.
   */
  center?: { lambda?: number; alpha?: number; learnable?: boolean } | false;
}

interface Terms {
  specs: MetricLossSpec[];
  /** The fingerprint's JSON of the loss (the shorthand keeps its former keys: runs resume). */
  config: Record<string, JsonValue>;
}

/** The `triplet` / `center` shorthand as terms, with the config its runs were written with. */
function shorthand(fn: string, o: MetricRecipeOptions): Terms {
  const tripletSpec = o.triplet === undefined ? {} : o.triplet;
  const centerSpec = o.center ?? false;
  if (tripletSpec === false && centerSpec === false)
    throw new InvalidArgumentError(fn, 'triplet', false, 'a triplet term, a center term, or both');
  const specs: MetricLossSpec[] = [];
  let triplet: JsonValue = null;
  if (tripletSpec) {
    const margin = checkNumber(fn, 'triplet.margin', tripletSpec.margin ?? 0.2, { min: 0 });
    const weight = checkNumber(fn, 'triplet.weight', tripletSpec.weight ?? 1, { min: 0 });
    const miner = tripletSpec.miner ?? 'batch-hard';
    if (typeof miner === 'string' && !MINER_KINDS.includes(miner))
      throw new InvalidArgumentError(fn, 'triplet.miner', miner, MINER_KINDS.join(', '));
    specs.push({ kind: 'triplet', weight, options: { margin, miner } });
    triplet = { margin, weight, miner: typeof miner === 'object' ? 'custom' : miner };
  }
  let center: JsonValue = null;
  if (centerSpec) {
    // lambda inside the loss and weight 1: the values and logs of the runs before terms existed
    const { lambda = 1, alpha = 0.5, learnable = false } = centerSpec;
    specs.push({ kind: 'center', weight: 1, options: { lambda, alpha, learnable } });
    center = { lambda, alpha, learnable };
  }
  return { specs, config: { triplet, center } };
}

function termsOf(fn: string, o: MetricRecipeOptions): Terms {
  if (o.losses === undefined) return shorthand(fn, o);
  if (o.triplet !== undefined || o.center !== undefined)
    throw new InvalidArgumentError(
      fn,
      'triplet',
      o.triplet ?? o.center,
      'absent when losses is given',
    );
  if (!Array.isArray(o.losses) || o.losses.length === 0)
    throw new InvalidArgumentError(fn, 'losses', o.losses, 'a non-empty array of { kind, weight }');
  return { specs: [...o.losses], config: {} };
}

/**
 * Metric learning without a classifier: a weighted sum of metric losses on the embedding, in
 * P x K batches (by default a triplet loss mined batch-hard; `losses` takes any registered metric
 * loss). Variables a loss holds (center-loss centers: updated by the paper's alpha rule, or
 * learnable) are checkpointed. Verification uses the embeddings; there are no identity logits.
 * Logs each term, weighted, under its name.
 */
export function metricRecipe(options: MetricRecipeOptions): RecipeRun {
  const fn = 'metricRecipe';
  const o = options ?? ({} as MetricRecipeOptions);
  checkTrainSet(fn, o.train);
  const seed = o.seed ?? 0;
  const embeddingDim = backboneEmbeddingDim(fn, o.backbone);
  const { specs, config } = termsOf(fn, o);
  const sampler = pkSampler(fn, o.train, { p: o.p, k: o.k, seed });
  const numClasses = checkInteger(fn, 'train.classNames.length', o.train.classNames.length, {
    min: 1,
  });
  const terms: { name: string; weight: number; term: MetricLossTerm }[] = [];
  const dispose = () => terms.forEach((t) => t.term.dispose());
  try {
    specs.forEach((spec, i) => {
      const at = `losses[${i}]`;
      if (!spec || typeof spec !== 'object' || !metricLossNames().includes(spec.kind))
        throw new InvalidArgumentError(
          fn,
          `${at}.kind`,
          spec?.kind,
          `one of ${metricLossNames().join(', ')}`,
        );
      const name = spec.name ?? spec.kind;
      if (typeof name !== 'string' || terms.some((t) => t.name === name))
        throw new InvalidArgumentError(fn, `${at}.name`, name, 'a name unique among the terms');
      const weight = checkNumber(fn, `${at}.weight`, spec.weight ?? 1, { min: 0 });
      const term = getMetricLoss(spec.kind).create(spec.options, {
        embeddingDim,
        numClasses,
        fn,
        argument: `${at}.options`,
      });
      terms.push({ name, weight, term });
    });
  } catch (err) {
    dispose();
    throw err;
  }
  const state: NamedVariable[] = [];
  const extraVariables: NamedVariable[] = [];
  for (const { name, term } of terms)
    for (const v of term.variables)
      (v.trainable ? extraVariables : state).push({
        name: `${name}/${v.name}`,
        variable: v.variable,
      });
  return new RecipeRun(fn, o, {
    recipe: 'metric',
    sampler,
    head: null,
    extraVariables,
    state,
    lossFn: ({ images, labels }) => {
      const embeddings = o.backbone.apply(images, { training: true }) as tf.Tensor2D;
      const metrics: Record<string, tf.Tensor> = {};
      const weighted = terms.map(
        ({ name, weight, term }) =>
          (metrics[name] = tf.mul(term.loss(embeddings, labels), weight) as tf.Scalar),
      );
      return { loss: tf.addN(weighted) as tf.Scalar, metrics };
    },
    config: {
      ...(o.losses === undefined
        ? config
        : {
            losses: terms.map(({ name, weight, term }, i) => ({
              kind: specs[i].kind,
              name,
              weight,
              ...term.getConfig(),
            })),
          }),
      p: sampler.p,
      k: sampler.k,
    },
    dispose,
  });
}
