import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkInteger, checkNumber } from '@face/core';
import { ShuffleSampler } from '@face/data';
import { OnlineLabelSmoothing } from '@face/losses';
import type { Callback, JsonValue } from '@face/train';
import { classifierHead, type ClassifierHead, type HeadKind } from './heads';
import { RecipeRun, backboneEmbeddingDim, checkTrainSet, type RecipeOptions } from './run';
import { DEFAULT_BATCH_SIZE, DEFAULT_LABEL_SMOOTHING } from './defaults';

export interface ClassificationRecipeOptions extends RecipeOptions {
  /** `'linear'` (default), `'cosine'`, a margin head's name, or a head you built. */
  head?: HeadKind | ClassifierHead;
  /** Scale / margin of a head built by name. */
  headOptions?: { scale?: number; margin?: number };
  /**
   * Label smoothing epsilon of the cross-entropy (PyTorch's; default 0.1), or online label
   * smoothing (Zhang et al. 2021) with its hard-label weight alpha.
   */
  labelSmoothing?: number | { online: true; alpha?: number };
  /** Images per batch. Default 32. */
  batchSize?: number;
}

/** Accuracy of the arg-max of `logits` against `labels`, as a scalar tensor. */
export function batchAccuracy(logits: tf.Tensor2D, labels: Int32Array): tf.Scalar {
  return tf.tidy(() =>
    tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(labels, 'int32')), 'float32')),
  ) as tf.Scalar;
}

/** Builds the head of a recipe from a name or takes the caller's, checking its sizes. */
export function resolveHead(
  fn: string,
  head: HeadKind | ClassifierHead,
  options: {
    embeddingDim: number;
    numClasses: number;
    seed: number;
    scale?: number;
    margin?: number;
  },
): ClassifierHead {
  if (typeof head === 'string') return classifierHead(head, options);
  if (!head || typeof head.loss !== 'function' || !Array.isArray(head.variables))
    throw new InvalidArgumentError(fn, 'head', head, 'a head name or a ClassifierHead');
  if (head.embeddingDim !== options.embeddingDim || head.numClasses !== options.numClasses)
    throw new InvalidArgumentError(
      fn,
      'head',
      `${head.embeddingDim} x ${head.numClasses}`,
      `a head of ${options.embeddingDim}-d embeddings and ${options.numClasses} classes`,
    );
  return head;
}

/**
 * Recipe 1, classification: backbone -> embedding -> classifier (linear or cosine), softmax
 * cross-entropy with label smoothing; backbone and head in one optimizer step. Online label
 * smoothing keeps its soft-label matrix in checkpoints and advances it at each epoch's end.
 */
export function classificationRecipe(options: ClassificationRecipeOptions): RecipeRun {
  const fn = 'classificationRecipe';
  const o = options ?? ({} as ClassificationRecipeOptions);
  checkTrainSet(fn, o.train);
  const numClasses = o.train?.classNames?.length;
  checkInteger(fn, 'train.classNames.length', numClasses, { min: 2 });
  const seed = o.seed ?? 0;
  const embeddingDim = backboneEmbeddingDim(fn, o.backbone);
  const batchSize = checkInteger(fn, 'batchSize', o.batchSize ?? DEFAULT_BATCH_SIZE, { min: 1 });
  const smoothing = o.labelSmoothing ?? DEFAULT_LABEL_SMOOTHING;
  const online = typeof smoothing === 'object' && smoothing !== null;
  if (!online) checkNumber(fn, 'labelSmoothing', smoothing, { min: 0, max: 1 });
  const head = resolveHead(fn, o.head ?? 'linear', {
    embeddingDim,
    numClasses,
    seed,
    ...o.headOptions,
  });
  const ols = online
    ? new OnlineLabelSmoothing({
        numClasses,
        alpha: (smoothing as { alpha?: number }).alpha ?? 0.5,
      })
    : null;
  const eps = online ? 0 : (smoothing as number);
  return new RecipeRun(fn, o, {
    recipe: 'classification',
    sampler: new ShuffleSampler(o.train, { batchSize, seed }),
    head,
    lossFn: ({ images, labels }) => {
      const embeddings = o.backbone.apply(images, { training: true }) as tf.Tensor2D;
      const loss = ols
        ? (ols.loss(head.trainingLogits(embeddings, labels), labels) as tf.Scalar)
        : head.loss(embeddings, labels, { labelSmoothing: eps });
      return { loss, metrics: { accuracy: batchAccuracy(head.logits(embeddings), labels) } };
    },
    config: {
      head: head.toJson(),
      labelSmoothing: online ? { online: ols!.alpha } : eps,
      batchSize,
    },
    stateCallback: recipeState(head, ols),
    dispose: () => ols?.dispose(),
  });
}

/**
 * A head's JSON state (SphereFace's iteration) and online label smoothing's matrices and epoch
 * count, for checkpoints; advances online label smoothing at each epoch's end (before evaluation
 * and checkpoints, so an epoch-end checkpoint holds the next epoch's soft labels).
 */
export function recipeState(
  head: ClassifierHead | null,
  ols: OnlineLabelSmoothing | null,
): Callback {
  return {
    name: 'recipe:state',
    order: -20,
    onEpochEnd() {
      ols?.nextEpoch();
    },
    getState(): JsonValue {
      let olsState: JsonValue = null;
      if (ols) {
        const weights = ols.getWeights();
        // JSON numbers hold float32 values exactly, so this round-trips bit for bit.
        olsState = {
          epoch: ols.getState().epoch,
          weights: weights.map((w) => Array.from(w.dataSync())),
        };
        tf.dispose(weights);
      }
      return { head: head?.getState() ?? null, ols: olsState };
    },
    setState(state) {
      const s = state as { head: JsonValue; ols: { epoch: number; weights: number[][] } | null };
      if (head && s.head !== null) head.setState(s.head);
      if (ols && s.ols) {
        const k = ols.numClasses;
        const shapes = [[k, k], [k, k], [k]];
        const tensors = s.ols.weights.map((w, i) => tf.tensor(Float32Array.from(w), shapes[i]));
        ols.setWeights(tensors);
        tf.dispose(tensors);
        ols.setState({ epoch: s.ols.epoch });
      }
    },
  };
}
