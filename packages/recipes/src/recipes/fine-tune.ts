import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkInteger, checkNumber } from '@face/core';
import { ShuffleSampler } from '@face/data';
import {
  type CheckpointInfo,
  type FitResult,
  joinPath,
  type JsonValue,
  type LearningRateSchedule,
} from '@face/train';
import { CENTRE_LAYER, disposeCentre, meanEmbedding, setCentre, withCentre } from './centre';
import { batchAccuracy, recipeState, resolveHead } from './classification';
import { DEFAULT_BATCH_SIZE } from './defaults';
import type { ClassifierHead, HeadKind } from './heads';
import type { OptimizerSpec, ScheduleSpec } from './optimization';
import { FINE_TUNE_PRESET } from './presets';
import {
  RecipeRun,
  backboneEmbeddingDim,
  checkTrainSet,
  type Backbone,
  type RecipeOptions,
} from './run';

/** The linear probe: the new head trained on the frozen backbone's embeddings. */
export interface ProbeOptions {
  /** At most this many epochs; 0 skips the probe. Default `FINE_TUNE_PRESET.probeMaxEpochs` (10). */
  maxEpochs?: number;
  /** Epochs without a rise of training accuracy before it stops. Default 2. */
  patience?: number;
  /** Smallest rise that counts. Default 0.01. */
  minDelta?: number;
  /** The head's (AdamW) rate. Default `FINE_TUNE_PRESET.probeLr` (3e-3). */
  lr?: number;
}

export interface FineTuneRecipeOptions extends Omit<
  RecipeOptions,
  'epochs' | 'optimizer' | 'schedule'
> {
  /** Epochs of the second phase (backbone unfrozen). */
  epochs: number;
  /** Default 'arcface' (any head of @face/losses). */
  head?: HeadKind | ClassifierHead;
  headOptions?: { scale?: number; margin?: number };
  /** Default 0. */
  labelSmoothing?: number;
  batchSize?: number;
  probe?: ProbeOptions;
  /**
   * First layer (a name, or a block prefix such as dlib's `conv256_down`) trained in the second
   * phase; earlier layers stay frozen. Default: the backbone's own `trainable` flags.
   */
  unfreezeFrom?: string;
  /**
   * Optimizer of the second phase. Default AdamW at `FINE_TUNE_PRESET.lr` (3e-4), the backbone at
   * 0.1x and the head at 10x.
   */
  optimizer?: OptimizerSpec;
  /** Default cosine after a linear warm-up of one epoch. */
  schedule?: ScheduleSpec | LearningRateSchedule;
  /**
   * Subtract the training images' mean embedding, computed once by the pretrained backbone before
   * the probe, in a frozen `centre` layer appended to the backbone (saved with it). Default true:
   * dlib's embedding of held-out drawn people scored by cosine, AUC 0.678 -> 0.699 centred
   * (packages/pretrained/README.md, "Fine-tuning safely").
   */
  centre?: boolean;
}

/**
 * Recipe 4, fine-tuning a pretrained backbone safely (as practitioners do, e.g. Kumar et al. 2022,
 * "Fine-tuning can distort pretrained features"): phase 1, a linear probe, trains only the new
 * margin head on the frozen backbone (inference mode, no backbone gradients) until its training
 * accuracy stops rising; phase 2 unfreezes from `unfreezeFrom` and trains both at a low backbone
 * rate after a warm-up, so the head's first, random gradients never reach the backbone. Phase 2
 * runs with the keep-best guard (see `RecipeOptions.guard`): it is scored before its first step
 * and never ends below that. Run directories `<out>/probe`, `<out>/tune`; the model in
 * `<out>/model`.
 */
export class FineTuneRun {
  readonly probe: RecipeRun | null;
  readonly tune: RecipeRun;
  readonly head: ClassifierHead;
  /**
   * The backbone trained and saved: the given one with a `centre` layer appended (unless
   * `centre: false`), whose weights `dispose()` frees.
   */
  readonly backbone: Backbone;
  private readonly centreFrom: { train: FineTuneRecipeOptions['train']; original: Backbone } | null;
  private readonly evalTransform: FineTuneRecipeOptions['evalTransform'];

  constructor(options: FineTuneRecipeOptions) {
    const fn = 'fineTuneRecipe';
    const o = options ?? ({} as FineTuneRecipeOptions);
    const { probe: p = {}, out, modelDir, unfreezeFrom, ...common } = o;
    checkTrainSet(fn, o.train);
    checkInteger(fn, 'epochs', o.epochs, { min: 1 });
    const maxEpochs = checkInteger(fn, 'probe.maxEpochs', p.maxEpochs ?? P.probeMaxEpochs, {
      min: 0,
    });
    const numClasses = checkInteger(fn, 'train.classNames.length', o.train?.classNames?.length, {
      min: 2,
    });
    const seed = o.seed ?? 0;
    const batchSize = checkInteger(fn, 'batchSize', o.batchSize ?? DEFAULT_BATCH_SIZE, { min: 1 });
    const eps = checkNumber(fn, 'labelSmoothing', o.labelSmoothing ?? 0, { min: 0, max: 1 });
    const centre = o.centre ?? true;
    if (typeof centre !== 'boolean')
      throw new InvalidArgumentError(fn, 'centre', centre, 'true or false');
    backboneEmbeddingDim(fn, o.backbone);
    const backbone = centre ? withCentre(fn, o.backbone) : o.backbone;
    this.backbone = backbone;
    this.centreFrom = centre ? { train: o.train, original: o.backbone } : null;
    this.evalTransform = o.evalTransform;
    const head = resolveHead(fn, o.head ?? 'arcface', {
      embeddingDim: backboneEmbeddingDim(fn, backbone),
      numClasses,
      seed: seed + 1,
      ...o.headOptions,
    });
    this.head = head;
    const user: Record<string, JsonValue> = o.config !== undefined ? { user: o.config } : {};
    const lossOf = (training: boolean) => (b: { images: tf.Tensor4D; labels: Int32Array }) => {
      const embeddings = backbone.apply(b.images, { training }) as tf.Tensor2D;
      return {
        loss: head.loss(embeddings, b.labels, { labelSmoothing: eps }),
        metrics: { accuracy: batchAccuracy(head.logits(embeddings), b.labels) },
      };
    };
    this.probe =
      maxEpochs > 0
        ? new RecipeRun(
            fn,
            {
              ...common,
              backbone: frozen(backbone),
              backboneName: common.backboneName ?? o.backbone.name,
              epochs: maxEpochs,
              optimizer: { kind: 'adamw', lr: p.lr ?? P.probeLr },
              schedule: { kind: 'constant' },
              // The embedding cannot change while the backbone is frozen: nothing to guard or
              // validate; the head's training accuracy says when it has learned what it can.
              validation: {},
              guard: false,
              earlyStopping: {
                monitor: 'accuracy',
                mode: 'max',
                patience: checkInteger(fn, 'probe.patience', p.patience ?? P.probePatience, {
                  min: 1,
                }),
                minDelta: checkNumber(fn, 'probe.minDelta', p.minDelta ?? P.probeMinDelta, {
                  min: 0,
                }),
              },
              ...(out ? { out: joinPath(out, 'probe') } : {}),
              modelDir: false,
              config: { phase: 'probe', ...user },
            },
            {
              recipe: 'fine-tune',
              sampler: new ShuffleSampler(o.train, { batchSize, seed: seed + 2 }),
              // The head's variables train; it is the second phase's, which saves and frees it.
              head: null,
              extraVariables: [...head.variables],
              lossFn: lossOf(false),
              config: { head: head.toJson(), labelSmoothing: eps, batchSize },
            },
          )
        : null;
    if (unfreezeFrom !== undefined) setTrainableFrom(fn, backbone, unfreezeFrom);
    // The offset is fixed: a trained one would be a second bias the head could absorb anyway.
    if (centre)
      (backbone as { getLayer(n: string): { trainable: boolean } }).getLayer(
        CENTRE_LAYER,
      ).trainable = false;
    this.tune = new RecipeRun(
      fn,
      {
        ...common,
        backbone,
        backboneName: common.backboneName ?? o.backbone.name,
        epochs: o.epochs,
        optimizer: o.optimizer ?? {
          kind: 'adamw',
          lr: P.lr,
          backboneLrScale: P.backboneLrScale,
          headLrScale: P.headLrScale,
        },
        schedule: o.schedule ?? {
          kind: 'cosine',
          warmupEpochs: Math.min(P.warmupEpochs, o.epochs - 1),
        },
        ...(out ? { out: joinPath(out, 'tune') } : {}),
        ...(modelDir !== undefined
          ? { modelDir }
          : out
            ? { modelDir: joinPath(out, 'model') }
            : {}),
        config: { phase: 'tune', unfreezeFrom: unfreezeFrom ?? null, ...user },
      },
      {
        recipe: 'fine-tune',
        sampler: new ShuffleSampler(o.train, { batchSize, seed: seed + 1 }),
        head,
        lossFn: lossOf(true),
        config: { head: head.toJson(), labelSmoothing: eps, batchSize },
        stateCallback: recipeState(head, null),
      },
    );
  }

  /** Restores both phases (the tune phase's checkpoint, if any, sets the head last). */
  async resume(): Promise<{ probe: CheckpointInfo | null; tune: CheckpointInfo | null }> {
    const probe = this.probe ? await this.probe.resume() : null;
    return { probe, tune: await this.tune.resume() };
  }

  /**
   * The probe (unless the tune phase resumed), then the tune phase; as `SequentialRun.fit` (a
   * probe stopped by `signal` is not followed by the tune phase: `tune` is null).
   */
  async fit(): Promise<{ probe: FitResult | null; tune: FitResult | null }> {
    let probe: FitResult | null = null;
    // A resumed tune phase has the offset back from its checkpoint (the layer's weights).
    if (this.centreFrom && this.tune.trainer.resumedFrom === null) {
      const { train, original } = this.centreFrom;
      setCentre(this.backbone as never, await meanEmbedding(original, train, this.evalTransform));
    }
    if (this.probe && this.tune.trainer.resumedFrom === null) {
      await this.probe.assertFresh();
      await this.tune.assertFresh();
      probe = await this.probe.fit();
      // Stopped by the signal (Ctrl-C): the tune phase waits for the resumed run.
      if (this.probe.interrupted) return { probe, tune: null };
      if (probe.stopReason && probe.stopReason.kind !== 'early-stopping')
        return { probe, tune: null };
    }
    return { probe, tune: await this.tune.fit() };
  }

  /** Frees the runs and the `centre` layer (the caller's backbone stays the caller's). */
  dispose(): void {
    this.probe?.dispose();
    this.tune.dispose();
    if (this.centreFrom) disposeCentre(this.backbone as never);
  }
}

const P = FINE_TUNE_PRESET;

/** Recipe 4 (see {@link FineTuneRun}). */
export function fineTuneRecipe(options: FineTuneRecipeOptions): FineTuneRun {
  return new FineTuneRun(options);
}

/** The backbone as the probe sees it: the same model with no trainable weights. */
function frozen(backbone: Backbone): Backbone {
  return new Proxy(backbone, {
    get(target, key) {
      if (key === 'trainableWeights') return [];
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

/**
 * Makes layers from the first one named `first` (or whose name starts with `first` and `_`, `.`
 * or `/`, a block) trainable and the earlier ones frozen; refuses a name the backbone lacks.
 */
export function setTrainableFrom(fn: string, backbone: Backbone, first: string): void {
  const layers = (backbone.layers ?? []) as { name: string; trainable: boolean }[];
  const i = layers.findIndex(
    (l) =>
      l.name === first || (/^[_./]/.test(l.name.slice(first.length)) && l.name.startsWith(first)),
  );
  if (i < 0)
    throw new InvalidArgumentError(
      fn,
      'unfreezeFrom',
      first,
      `a layer or block of the backbone (${layers
        .map((l) => l.name)
        .slice(0, 8)
        .join(', ')}, ...)`,
    );
  layers.forEach((l, j) => (l.trainable = j >= i));
}
