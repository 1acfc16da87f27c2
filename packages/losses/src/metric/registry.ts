import type * as tf from '@tensorflow/tfjs-core';
import {
  checkBoolean,
  checkNumber,
  checkOptions,
  InvalidArgumentError,
  Registry,
} from '@face/core';
import { distance, type Distance, type DistanceKind, resolveDistance } from '../distances';
import { getMiner, minerNames, type MinerName } from '../miners/registry';
import type { TripletMiner } from '../miners/types';
import { CenterLoss } from './center';
import { contrastiveLoss } from './contrastive';
import { tripletLoss } from './triplet';

/** What a recipe hands a metric loss it builds: the embedding and class sizes, and who asks. */
export interface MetricLossContext {
  embeddingDim: number;
  numClasses: number;
  /** Function and argument that errors name. Default 'createMetricLoss', 'options'. */
  fn?: string;
  argument?: string;
}

/** One built metric loss: a labelled batch's loss, its variables, its settings as JSON. */
export interface MetricLossTerm {
  /** The unweighted loss of a batch, a scalar; a training call may update state (centers). */
  loss(embeddings: tf.Tensor2D, labels: Int32Array): tf.Scalar;
  /**
   * Variables the term holds, under names local to it (`centers`): trainable ones go to the
   * optimizer, the others are state that checkpoints keep.
   */
  readonly variables: readonly { name: string; variable: tf.Variable; trainable: boolean }[];
  /** Settings as JSON, for run configs. */
  getConfig(): Record<string, string | number | boolean | null>;
  dispose(): void;
}

/** A metric loss by name: `create` builds it from its options. */
export interface MetricLossEntry {
  readonly name: string;
  create(options: object | undefined, context: MetricLossContext): MetricLossTerm;
}

const registry = new Registry<MetricLossEntry>(
  'metric loss',
  'getMetricLoss',
  'registerMetricLoss',
);

/**
 * Registers a metric loss under `name` (the spelling recipes' `losses[i].kind` takes), in one call:
 * `registerMetricLoss('my-loss', (options, context) => ({ loss: ..., variables: [], ... }))`.
 */
export function registerMetricLoss(
  name: string,
  create: (options: object | undefined, context: MetricLossContext) => MetricLossTerm,
): MetricLossEntry {
  return registry.register(name, { name, create });
}

/** The entry of a metric loss by name; an unknown one lists the names. */
export function getMetricLoss(name: MetricLossName): MetricLossEntry {
  return registry.get(name);
}

/** The registered names, in order: a live array that later registrations extend. */
export function metricLossNames(): readonly string[] {
  return registry.names;
}

/** Metric terms measure L2-normalized embeddings, where margins are scale-free. */
const normalizedEuclidean = (): Distance => distance('euclidean', { normalize: true });

export interface TripletTermOptions {
  /** Default 0.2. */
  margin?: number;
  /** A registered miner's name or a miner. Default 'batch-hard' (Hermans et al. 2017). */
  miner?: MinerName | TripletMiner;
  /** Default Euclidean distance of L2-normalized embeddings. */
  distance?: Distance | DistanceKind;
  softMargin?: boolean;
}

function tripletTerm(options: object | undefined, context: MetricLossContext): MetricLossTerm {
  const fn = context.fn ?? 'createMetricLoss';
  const at = context.argument ?? 'options';
  const o = checkOptions<TripletTermOptions>(fn, options, [
    'margin',
    'miner',
    'distance',
    'softMargin',
  ]);
  const margin = checkNumber(fn, `${at}.margin`, o.margin ?? 0.2, { min: 0 });
  const dist = resolveDistance(fn, `${at}.distance`, o.distance ?? normalizedEuclidean());
  const softMargin = checkBoolean(fn, `${at}.softMargin`, o.softMargin, false);
  const given = o.miner ?? 'batch-hard';
  let miner: TripletMiner;
  if (typeof given === 'string') {
    if (!minerNames().includes(given))
      throw new InvalidArgumentError(fn, `${at}.miner`, given, `one of ${minerNames().join(', ')}`);
    miner = getMiner(given).create({ distance: dist, lossMargin: margin });
  } else if (given && typeof (given as TripletMiner).mine === 'function') miner = given;
  else throw new InvalidArgumentError(fn, `${at}.miner`, given, 'a miner name or a TripletMiner');
  return {
    loss: (e, y) => tripletLoss(e, y, { margin, miner, distance: dist, softMargin }),
    variables: [],
    getConfig: () => ({
      margin,
      miner: typeof given === 'string' ? given : 'custom',
      distance: dist.getConfig().kind,
      normalize: dist.getConfig().normalize,
      softMargin,
    }),
    dispose: () => {},
  };
}

export interface ContrastiveTermOptions {
  /** Default 1. */
  margin?: number;
  /** Default Euclidean distance of L2-normalized embeddings. */
  distance?: Distance | DistanceKind;
}

function contrastiveTerm(options: object | undefined, context: MetricLossContext): MetricLossTerm {
  const fn = context.fn ?? 'createMetricLoss';
  const at = context.argument ?? 'options';
  const o = checkOptions<ContrastiveTermOptions>(fn, options, ['margin', 'distance']);
  const margin = checkNumber(fn, `${at}.margin`, o.margin ?? 1, { min: 0 });
  const dist = resolveDistance(fn, `${at}.distance`, o.distance ?? normalizedEuclidean());
  return {
    loss: (e, y) => contrastiveLoss(e, y, { margin, distance: dist }),
    variables: [],
    getConfig: () => ({
      margin,
      distance: dist.getConfig().kind,
      normalize: dist.getConfig().normalize,
    }),
    dispose: () => {},
  };
}

export interface CenterTermOptions {
  /** The loss's own factor; default 1 here, the term's weight being the weight. */
  lambda?: number;
  /** Default 0.5. */
  alpha?: number;
  learnable?: boolean;
}

function centerTerm(options: object | undefined, context: MetricLossContext): MetricLossTerm {
  const fn = context.fn ?? 'createMetricLoss';
  const o = checkOptions<CenterTermOptions>(fn, options, ['lambda', 'alpha', 'learnable']);
  const center = new CenterLoss({
    numClasses: context.numClasses,
    embeddingDim: context.embeddingDim,
    lambda: o.lambda ?? 1,
    alpha: o.alpha ?? 0.5,
    learnable: o.learnable ?? false,
  });
  return {
    loss: (e, y) => center.loss(e, y),
    variables: [{ name: 'centers', variable: center.centers, trainable: center.learnable }],
    getConfig: () => ({ lambda: center.lambda, alpha: center.alpha, learnable: center.learnable }),
    dispose: () => center.dispose(),
  };
}

// The built-ins, in the order lists show them.
const BUILTIN = { triplet: tripletTerm, contrastive: contrastiveTerm, center: centerTerm } as const;
for (const [name, create] of Object.entries(BUILTIN)) registerMetricLoss(name, create);

/** Names of the built-in metric losses. */
export type BuiltinMetricLossName = keyof typeof BUILTIN;
/** A registered metric loss's name: a built-in one, or any name registered since. */
export type MetricLossName = BuiltinMetricLossName | (string & {});
