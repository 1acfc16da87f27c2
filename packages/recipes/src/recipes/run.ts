import {
  FaceError,
  InvalidArgumentError,
  Rng,
  checkInteger,
  checkNumber,
  checkOneOf,
  errorWithPath,
  writeFileAtomic,
  isStateful,
  type Stateful,
} from '@face/core';
import {
  DataLoader,
  compose,
  normalize,
  randomHorizontalFlip,
  type FaceDataset,
  type Sampler,
  type Transform,
} from '@face/data';
import { VALIDATION_FAR_TARGETS } from '@face/metrics';
import {
  acquireRunLock,
  type Callback,
  checkpointCallback,
  type CheckpointInfo,
  CheckpointManager,
  type CheckpointStorage,
  csvLogger,
  earlyStopping,
  type EarlyStoppingOptions,
  evaluation,
  type FitResult,
  joinPath,
  jsonlLogger,
  type JsonValue,
  type KeepBestOptions,
  keepBestWeights,
  type LearningRateSchedule,
  type LossFn,
  type ModelLike,
  modelState,
  type NamedVariable,
  namedVariables,
  nanGuard,
  type Optimizer,
  progressBar,
  type ProgressBarOptions,
  type ResumableBatchSource,
  type RunLock,
  Trainer,
} from '@face/train';
import { evaluateClassification } from '../evaluate/classification';
import type { EmbeddingModel } from '../evaluate/embed';
import { evaluateVerification, type VerificationSet } from '../evaluate/verification';
import { trainingRecordOf } from '../evaluate/training-split';
import { saveFaceModel } from './face-model';
import { checkInputSpec, inputSpecOf, type FaceModelInput } from './face-model-spec';
import { evaluationSummary } from './evaluation-summary';
import { SKIPPED_IMAGES_FILE, skippedImages } from './skipped-images';
import type { ClassifierHead } from './heads';
import {
  buildOptimizer,
  buildSchedule,
  type OptimizerSpec,
  type ScheduleSpec,
} from './optimization';
import { loaderSource, type FaceBatch } from './source';

/** What the keep-best guard did, in the run directory (`FitResult.keepBest` as JSON). */
export const KEEP_BEST_FILE = 'keep-best.json';

/** The backbone a recipe trains: a tfjs-layers model, images [n, S, S, 3] -> embeddings [n, d]. */
export type Backbone = ModelLike &
  EmbeddingModel & {
    readonly name?: string;
    readonly layers?: readonly unknown[];
    readonly inputs?: readonly { shape: (number | null)[] }[];
    readonly outputs?: readonly { shape: (number | null)[] }[];
  };

/** What the recipes evaluate after each epoch (metrics `val_*` in the logs). */
export interface ValidationOptions {
  /** Held-out images of the training identities (labels = the head's classes): `val_accuracy`, `val_top5`. */
  classification?: FaceDataset;
  /** Pairs of held-out identities: `val_auc`, `val_eer`, `val_tar@far=<f>`, `val_pair_accuracy`. */
  verification?: VerificationSet;
  /** FAR targets of the TAR@FAR metrics. Default [1e-2, 1e-1]. */
  far?: readonly number[];
  /** Evaluate after every N-th epoch. Default 1. */
  every?: number;
}

/** The keep-best guard (see `RecipeOptions.guard`). */
export interface GuardOptions {
  /** Default: `val_auc` with a verification set, else `val_accuracy`. */
  monitor?: string;
  /** Default 'max' (`min` for names ending in `eer` or `loss`). */
  mode?: 'min' | 'max';
  /** Smallest change that counts as better. Default 0. */
  minDelta?: number;
}

export interface CheckpointOptions {
  /** Save every N updates as well as at epoch ends (0: epoch ends only). Default 0. */
  everySteps?: number;
  /** Default 2. */
  keepLast?: number;
  /** Default: the validation AUC, else accuracy, else none. `false` for none. */
  keepBest?: KeepBestOptions | false;
  /** Replaces Node's file system (tests inject failures through it). */
  storage?: CheckpointStorage;
}

/** Options every recipe takes. */
export interface RecipeOptions {
  backbone: Backbone;
  /** Training images; labels 0..C-1 are the identities (`subset(..., { relabel: true })`). */
  train: FaceDataset;
  epochs: number;
  /** Augmentation + normalization of training images. Default: horizontal flip, then `normalize()`. */
  transform?: Transform;
  /**
   * Normalization of evaluation images. Default `normalize()`. The saved model records it (see
   * `input`), so it must be built from @face/data's resize, centerCrop and normalize.
   */
  evalTransform?: Transform;
  /**
   * The preprocessing recorded in the saved model, for an `evalTransform` of your own (which has
   * no spec to record). Default: read from `evalTransform`.
   */
  input?: FaceModelInput;
  optimizer?: OptimizerSpec;
  schedule?: ScheduleSpec | LearningRateSchedule;
  /** Clip gradients by global norm. Default 5 (off with 0). */
  clipGradNorm?: number;
  /** Seeds data order, augmentation and head initialisation. Default 0. */
  seed?: number;
  validation?: ValidationOptions;
  /**
   * Run directory: `checkpoints/`, `log.jsonl`, `log.csv`, `skipped-images.json` (training images
   * that could not be decoded, when any), and `model/` (the trained backbone and head) at the end.
   * Without it nothing is written.
   */
  out?: string;
  checkpoint?: CheckpointOptions;
  earlyStopping?: EarlyStoppingOptions;
  /**
   * The keep-best guard (default on whenever there is validation): the starting weights are scored
   * on the validation sets before the first update, the best weights (the start included) are
   * kept, and `fit()` ends with them in the model and saves those, so a run never hands back a
   * model worse than it started from. `FitResult.keepBest` and `<out>/keep-best.json` say which
   * epoch was kept (0: the start), and `onNotice` when the start was kept. Without
   * held-out identities (`validation.verification`) it can only watch held-out accuracy, and
   * without any validation there is no guard: `guardWarning` says so. `false` turns it off.
   */
  guard?: GuardOptions | false;
  /** A progress bar (TTY), or per-epoch lines. Default false. */
  progress?: boolean | ProgressBarOptions;
  /** More callbacks (after the recipe's own). */
  callbacks?: Callback[];
  /** Name of the backbone in the checkpoint fingerprint and the saved model. Default `backbone.name`. */
  backboneName?: string;
  /** More JSON that checkpoints must match. */
  config?: JsonValue;
  /**
   * More entries of the saved model's face-model.json `meta` (the `face` command records the
   * `--align` or `--crop` its pictures went through); `recipe` and `backbone` are the run's own.
   */
  meta?: Record<string, JsonValue>;
  /** Where `fit()` saves the model at the end. Default `<out>/model`; `false` for nowhere. */
  modelDir?: string | false;
  /** DataLoader prefetch. Default 2. */
  prefetch?: number;
  /**
   * A training image that cannot be decoded (empty, truncated, not an image, over the pixel cap):
   * 'skip' (default) records it in `loader.skipped` and puts another image of the same identity in
   * its place, the same one on every run and resume; 'fail' stops training with its ImageDecodeError.
   */
  onBadImage?: 'skip' | 'fail';
  /**
   * Files already left out before training (a folder's or list's problems: special files, files
   * over the size cap, duplicate lines): listed in `skipped-images.json` with what the loader and
   * validation skip, so the run folder says everything that was not used.
   */
  knownBadFiles?: readonly { path: string; reason: string }[];
  /**
   * Where the run says what it did on its own: a stale run lock taken over, a corrupt checkpoint
   * skipped on resume. Default `console.warn`.
   */
  onNotice?: (message: string) => void;
  /**
   * Stops `fit()` after the update in progress when aborted (the CLI wires Ctrl-C to it): a
   * checkpoint is saved where it stopped (mid-epoch too), the model is not, and `interrupted` is set.
   */
  signal?: AbortSignal;
}

/** What a recipe contributes to the common run. */
export interface RecipeParts {
  recipe: string;
  sampler: Sampler;
  head: ClassifierHead | null;
  /** Extra trainable variables (learnable centers). */
  extraVariables?: NamedVariable[];
  /** Extra checkpointed non-trainable variables (center-loss centers). */
  state?: NamedVariable[];
  lossFn: LossFn<FaceBatch>;
  /** Recipe-specific JSON of the fingerprint (head config, loss weights). */
  config: JsonValue;
  /** Recipe-specific state for checkpoints, and hooks (online label smoothing). */
  stateCallback?: Callback;
  optimizerDefaults?: OptimizerSpec;
  dispose?: () => void;
}

/** Checks the training set before anything is built from it (samplers fail less clearly). */
export function checkTrainSet(fn: string, train: FaceDataset): FaceDataset {
  if (!train || !(train.labels instanceof Int32Array) || typeof train.load !== 'function')
    throw new InvalidArgumentError(fn, 'train', train, 'a FaceDataset');
  if (train.size === 0)
    throw new InvalidArgumentError(fn, 'train', 'an empty dataset', 'at least one image');
  return train;
}

/** The default training augmentation: a horizontal flip (faces are roughly symmetric), then [-1, 1]. */
export function defaultTrainTransform(): Transform {
  return compose([randomHorizontalFlip(), normalize()]);
}

/** Side of the backbone's square input, when its input shape says. */
export function backboneInputSize(backbone: Backbone): number | undefined {
  const shape = backbone.inputs?.[0]?.shape;
  return shape && typeof shape[1] === 'number' ? shape[1] : undefined;
}

/**
 * What the saved model records about its preprocessing (`input`, else `evalTransform`). With a
 * model to save, one it cannot record is refused here, before training, not after it.
 */
function savedInput(
  fn: string,
  o: RecipeOptions,
  modelDir: string | null,
): FaceModelInput | Transform | undefined {
  const side = backboneInputSize(o.backbone);
  if (modelDir === null || side === undefined) return o.input ?? o.evalTransform;
  if (o.input === undefined) {
    if (o.evalTransform) inputSpecOf(fn, 'evalTransform', o.evalTransform, side);
    return o.evalTransform;
  }
  const input = checkInputSpec(o.input, (entry, expected, value) => {
    throw new InvalidArgumentError(fn, entry, value, expected);
  });
  if (input.size !== side)
    throw new InvalidArgumentError(
      fn,
      'input.size',
      input.size,
      `the backbone's input size ${side}`,
    );
  return input;
}

/** Width of the backbone's embedding, when its output shape says. */
export function backboneEmbeddingDim(fn: string, backbone: Backbone): number {
  const shape = backbone.outputs?.[0]?.shape;
  const d = shape?.[shape.length - 1];
  if (!shape || shape.length !== 2 || typeof d !== 'number')
    throw new InvalidArgumentError(
      fn,
      'backbone',
      shape ?? backbone,
      'a tfjs-layers model whose output is one [n, d] embedding',
    );
  return d;
}

/** The backbone and training set a recipe needs, checked before anything is built from them. */
function checkRecipeInputs(
  fn: string,
  o: RecipeOptions,
): { backbone: Backbone; train: FaceDataset } {
  const { backbone, train } = o;
  if (
    !backbone ||
    typeof backbone.apply !== 'function' ||
    !Array.isArray(backbone.trainableWeights)
  )
    throw new InvalidArgumentError(
      fn,
      'backbone',
      backbone,
      'a tfjs-layers model (images -> embeddings)',
    );
  checkTrainSet(fn, train);
  return { backbone, train };
}

/**
 * `<out>/checkpoints`, keeping the last 2 and, by default, the best by the validation AUC (else
 * accuracy) that the run measures.
 */
function checkpointManager(
  out: string,
  ck: CheckpointOptions,
  v: ValidationOptions,
): CheckpointManager {
  const keepBest =
    ck.keepBest === false
      ? undefined
      : (ck.keepBest ??
        (v.verification
          ? { monitor: 'val_auc', mode: 'max' as const }
          : v.classification
            ? { monitor: 'val_accuracy', mode: 'max' as const }
            : undefined));
  return new CheckpointManager(joinPath(out, 'checkpoints'), {
    keepLast: ck.keepLast ?? 2,
    ...(keepBest ? { keepBest } : {}),
    ...(ck.storage ? { storage: ck.storage } : {}),
  });
}

/**
 * A recipe, wired and ready: the {@link Trainer} (backbone + head in one optimizer step, schedule,
 * clipping, NaN guard, evaluation, logs, checkpoints), its resumable data source, and
 * `resume()` / `fit()`. Built by `classificationRecipe`, `jointRecipe`, `metricRecipe`, or as a
 * phase of `sequentialRecipe`.
 */
export class RecipeRun {
  readonly recipe: string;
  readonly trainer: Trainer<FaceBatch>;
  readonly manager: CheckpointManager | null;
  readonly backbone: Backbone;
  readonly head: ClassifierHead | null;
  readonly optimizer: Optimizer;
  readonly loader: DataLoader;
  readonly epochs: number;
  readonly out: string | null;
  readonly modelDir: string | null;
  readonly config: JsonValue;
  /** The resumable data source the trainer consumes (the loader's batches). */
  readonly source: ResumableBatchSource<FaceBatch>;
  private readonly disposeParts?: () => void;
  private readonly train: FaceDataset;
  private readonly backboneName: string;
  private readonly meta: Record<string, JsonValue>;
  /** What the saved model records about its preprocessing (checked before training). */
  private readonly input: FaceModelInput | Transform | undefined;
  private resumed: CheckpointInfo | null = null;
  /** Validation images that could not be decoded, by path (recorded with the training skips). */
  private readonly validationSkipped = new Map<string, { path: string; reason: string }>();
  private resumeCalled = false;
  private lock: RunLock | null = null;
  private readonly notice: (message: string) => void;
  private guard: ReturnType<typeof keepBestWeights> | null = null;
  /**
   * Why this run has no keep-best guard of the embedding (no held-out identities), or null: for
   * the caller to show before training (the `face` command prints it).
   */
  guardWarning: string | null = null;

  constructor(fn: string, options: RecipeOptions, parts: RecipeParts) {
    const o = options ?? ({} as RecipeOptions);
    const { backbone, train } = checkRecipeInputs(fn, o);
    this.epochs = checkInteger(fn, 'epochs', o.epochs, { min: 1 });
    const seed = checkInteger(fn, 'seed', o.seed ?? 0);
    const clip = checkNumber(fn, 'clipGradNorm', o.clipGradNorm ?? 5, { min: 0 });
    this.recipe = parts.recipe;
    this.backbone = backbone;
    this.head = parts.head;
    this.train = train;
    this.disposeParts = parts.dispose;
    this.backboneName = o.backboneName ?? backbone.name ?? 'backbone';
    if (
      o.meta !== undefined &&
      (o.meta === null || typeof o.meta !== 'object' || Array.isArray(o.meta))
    )
      throw new InvalidArgumentError(fn, 'meta', o.meta, 'an object of JSON values');
    this.meta = { ...o.meta };
    this.notice = o.onNotice ?? ((m) => console.warn(m));
    const onBadImage = checkOneOf(fn, 'onBadImage', o.onBadImage ?? 'skip', ['skip', 'fail']);
    this.loader = new DataLoader(train, {
      sampler: parts.sampler,
      transform: o.transform ?? defaultTrainTransform(),
      seed,
      prefetch: o.prefetch ?? 2,
      onError: onBadImage === 'fail' ? 'throw' : 'skip',
    });
    const source = loaderSource(this.loader);
    const headVars = [...(parts.head?.variables ?? []), ...(parts.extraVariables ?? [])];
    const spec = { ...parts.optimizerDefaults, ...o.optimizer };
    this.optimizer = buildOptimizer(fn, spec, backbone, headVars);
    const schedule = buildSchedule(
      fn,
      o.schedule ?? {},
      this.optimizer.lr,
      this.epochs,
      this.loader.batchesPerEpoch,
    );
    this.out = o.out ?? null;
    this.modelDir =
      o.modelDir === false ? null : (o.modelDir ?? (this.out ? joinPath(this.out, 'model') : null));
    this.input = savedInput(fn, o, this.modelDir);
    const v = o.validation ?? {};
    if (v.classification && !parts.head)
      throw new InvalidArgumentError(
        fn,
        'validation.classification',
        v.classification,
        'nothing: this recipe trains no classifier (use validation.verification)',
      );
    this.manager = this.out ? checkpointManager(this.out, o.checkpoint ?? {}, v) : null;
    this.config = {
      recipe: parts.recipe,
      backbone: this.backboneName,
      classes: train.classNames.length,
      ...(o.config !== undefined ? { user: o.config } : {}),
      ...(parts.config as Record<string, JsonValue>),
    };
    this.trainer = new Trainer<FaceBatch>({
      optimizer: this.optimizer,
      // A frozen backbone (a linear probe) has no trainable weights: only the head trains.
      variables: [...namedVariables(backbone, { allowEmpty: true }), ...headVars],
      state: [...modelState(backbone), ...(parts.state ?? [])],
      lossFn: parts.lossFn,
      schedule,
      ...(clip > 0 ? { clipGradNorm: clip } : {}),
      callbacks: this.callbacks(o, parts, v, onBadImage),
      rng: new Rng(seed),
      config: this.config,
      dataset: train,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.signal && this.manager ? { interruptCheckpoint: this.manager } : {}),
    });
    this.source = source;
  }

  /**
   * The run's callbacks, in the order they act: NaN guard, the recipe's state, DropBlock state,
   * validation, early stopping, the skipped-files record, logs, checkpoints, progress, the user's.
   */
  private callbacks(
    o: RecipeOptions,
    parts: RecipeParts,
    v: ValidationOptions,
    onBadImage: 'skip' | 'fail',
  ): Callback[] {
    const callbacks: Callback[] = [nanGuard()];
    if (parts.stateCallback) callbacks.push(parts.stateCallback);
    callbacks.push(dropBlockState(this.backbone));
    if (v.classification || v.verification)
      callbacks.push(
        evaluation(() => this.validate(v, o.evalTransform, onBadImage), {
          prefix: 'val_',
          every: v.every ?? 1,
        }),
      );
    const guard = this.guardCallback(o, v, onBadImage);
    if (guard) callbacks.push(guard);
    if (o.earlyStopping) callbacks.push(earlyStopping(o.earlyStopping));
    if (onBadImage === 'skip')
      callbacks.push(
        skippedImages(
          this.loader,
          this.out ? joinPath(this.out, SKIPPED_IMAGES_FILE) : null,
          () => [...(o.knownBadFiles ?? []), ...this.validationSkipped.values()],
        ),
      );
    if (this.out) {
      for (const [file, logger] of [
        ['log.jsonl', jsonlLogger],
        ['log.csv', csvLogger],
      ] as const) {
        const path = joinPath(this.out, file);
        callbacks.push(namingErrors(logger(path), path));
      }
    }
    if (this.manager)
      callbacks.push(
        namingErrors(
          checkpointCallback(this.manager, { everySteps: o.checkpoint?.everySteps ?? 0 }),
          this.manager.directory,
        ),
      );
    if (o.progress)
      callbacks.push(
        progressBar({ epochs: this.epochs, ...(o.progress === true ? {} : o.progress) }),
      );
    callbacks.push(...(o.callbacks ?? []));
    return callbacks;
  }

  /**
   * The keep-best guard, watching `val_auc` (held-out identities) by default, else `val_accuracy`;
   * null (and a notice at `fit()`) without validation or with `guard: false`.
   */
  private guardCallback(
    o: RecipeOptions,
    v: ValidationOptions,
    onBadImage: 'skip' | 'fail',
  ): Callback | null {
    if (o.guard === false) return null;
    const monitor =
      o.guard?.monitor ??
      (v.verification ? 'val_auc' : v.classification ? 'val_accuracy' : undefined);
    if (!monitor) {
      this.guardWarning =
        `${this.recipe}: no validation (no held-out identities): no keep-best guard; the model ` +
        "saved is the last epoch's, whether or not it is better than the start";
      return null;
    }
    if (!v.verification)
      this.guardWarning =
        `${this.recipe}: no held-out identities: the keep-best guard watches ${monitor} of the ` +
        'training identities, which says little about faces of other people';
    this.guard = keepBestWeights({
      monitor,
      mode: o.guard?.mode ?? (/(eer|loss)$/.test(monitor) ? 'min' : 'max'),
      minDelta: o.guard?.minDelta ?? 0,
      evaluate: async () =>
        Object.fromEntries(
          Object.entries(await this.validate(v, o.evalTransform, onBadImage)).map(([k, x]) => [
            `val_${k}`,
            x,
          ]),
        ),
      ...(this.manager ? { manager: this.manager } : {}),
    });
    return this.guard;
  }

  /** Validation metrics of the current weights (what the evaluation callback logs). */
  async validate(
    v: ValidationOptions,
    transform?: Transform,
    onBadImage: 'skip' | 'fail' = 'skip',
  ): Promise<Record<string, number>> {
    const t = { ...(transform ? { transform } : {}), onBadImage };
    const classification =
      v.classification && this.head
        ? await evaluateClassification(this.backbone, this.head, v.classification, {
            ...t,
            k: [1, 5],
          })
        : null;
    const verification = v.verification
      ? await evaluateVerification(this.backbone, v.verification, {
          ...t,
          far: v.far ?? VALIDATION_FAR_TARGETS,
        })
      : null;
    for (const p of [...(classification?.skipped ?? []), ...(verification?.skipped ?? [])])
      this.validationSkipped.set(p.path, { path: p.path, reason: p.reason });
    // The logs' names (val_accuracy, val_auc, ...) are the summary's keys; no k-fold per epoch.
    // A rate the data cannot measure (NaN in the summary) is left out of the logs: JSON has no
    // NaN, and a resumed run reads its logs back from the checkpoint's JSON.
    const { metrics } = evaluationSummary({ classification, verification }, { kFold: false });
    return Object.fromEntries(Object.entries(metrics).filter(([, x]) => !Number.isNaN(x)));
  }

  /**
   * Restores the latest checkpoint of the run directory, if any (a fresh directory: null).
   * A directory written for another backbone, head or configuration throws
   * `CheckpointMismatchError` and nothing is loaded or overwritten. Null also when the directory
   * holds a run's logs or model but no checkpoint: `fit()` then replaces them, so a caller that
   * must never start over checks for null (the CLI's `--resume` refuses it).
   */
  async resume(): Promise<CheckpointInfo | null> {
    if (!this.manager)
      throw new FaceError(`${this.recipe}: resume() needs a run directory (options.out)`);
    await this.lockRun();
    this.resumeCalled = true;
    try {
      await this.manager.cleanLeftovers();
      this.resumed = await this.trainer.resume(this.manager, 'latest', {
        onFallback: this.notice,
      });
      // A run resumed after its end is not trained again: it holds its best weights, as it did
      // when it ended (a sequential recipe's finished phase).
      const t = this.trainer;
      if (this.resumed && this.guard && (t.epoch >= this.epochs || t.stopReason))
        await this.guard.restoreBest(t);
    } catch (err) {
      this.unlock();
      throw err;
    }
    return this.resumed;
  }

  /** Takes the run directory's lock (held from resume() to the end of fit(), or dispose()). */
  private async lockRun(): Promise<void> {
    if (this.out && !this.lock)
      this.lock = await acquireRunLock(this.out, { onNotice: this.notice });
  }

  private unlock(): void {
    this.lock?.release();
    this.lock = null;
  }

  /**
   * Trains until `epochs` (counting resumed epochs) or a stop (early stopping, NaN guard), then
   * saves the model (backbone + head) to `modelDir`, unless a NaN or a callback stopped training.
   * Unless it resumed from a checkpoint, it refuses, before writing anything, a run directory that
   * holds another run's checkpoints (readable or not); without a call to `resume()`, also one that
   * holds a run's `log.jsonl`, `log.csv`, `skipped-images.json` or saved model. After `resume()`
   * found no checkpoint, those are replaced: the caller chose to continue this directory, and a run
   * killed before its first checkpoint leaves only them (the CLI refuses `--resume` there itself).
   */
  async fit(): Promise<FitResult> {
    await this.lockRun();
    try {
      await this.assertFresh();
      if (this.manager) await this.manager.cleanLeftovers();
      const result = await this.trainer.fit(this.source, { epochs: this.epochs });
      // Stopped by options.signal: the trainer saved a checkpoint; no model, no summary record.
      if (this.trainer.interrupted) return result;
      if (result.keepBest && this.out) {
        const path = joinPath(this.out, KEEP_BEST_FILE);
        await writeFileAtomic(path, `${JSON.stringify(result.keepBest, null, 2)}\n`);
      }
      // Said, never silent, when training was thrown away: the start kept, or the best not found.
      if (result.keepBest && (!result.keepBest.improved || !result.keepBest.restored))
        this.notice(result.keepBest.message);
      const completed = result.stopReason === null || result.stopReason.kind === 'early-stopping';
      // With a guard, the model holds the best weights by now (the start, if nothing beat it).
      if (this.modelDir && completed) await this.save(this.modelDir);
      return result;
    } finally {
      this.guard?.dispose();
      this.unlock();
    }
  }

  /** Whether the last `fit()` stopped because `options.signal` was aborted. */
  get interrupted(): boolean {
    return this.trainer.interrupted;
  }

  /**
   * Throws unless `fit()` may write here: a run directory holding another configuration's
   * checkpoints, or (when this run resumed from nothing) any run's checkpoints, or its outputs
   * when `resume()` was not called, is refused with a `FaceError` that says nothing was
   * overwritten.
   */
  async assertFresh(): Promise<void> {
    if (!this.manager) return;
    await this.manager.assertCompatible(this.trainer.fingerprint);
    if (this.trainer.resumedFrom !== null) return;
    const refuse = (what: string, how: string): never => {
      throw new FaceError(
        `${this.recipe}: ${this.out} already holds a run (${what}); ${how} or choose another ` +
          'directory. Nothing was overwritten.',
      );
    };
    // Any step folder counts, readable or not: starting over would overwrite it.
    const existing = await this.manager.stepFolders();
    if (existing.length)
      refuse(
        `${existing.length} checkpoint folder(s), latest ${existing[existing.length - 1]}`,
        'resume it (resume(), or `face train --resume`)',
      );
    if (this.resumeCalled) return;
    const outputs = await runOutputs(this.out!, this.modelDir);
    if (outputs.length)
      refuse(
        `${outputs.join(', ')}, and no checkpoint to resume from`,
        'delete them to start over',
      );
  }

  /** Saves the backbone and the head (`saveFaceModel`). */
  async save(dir: string): Promise<void> {
    await saveFaceModel(dir, {
      backbone: this.backbone as never,
      head: this.head,
      classNames: [...this.train.classNames],
      meta: { ...this.meta, recipe: this.recipe, backbone: this.backboneName },
      ...(this.input !== undefined ? { input: this.input } : {}),
      // The people it trained on: `face eval` keeps them out of its numbers by default.
      training: trainingRecordOf(this.train),
    });
  }

  /** Frees the optimizer state and the head (the backbone stays the caller's). */
  dispose(): void {
    this.unlock();
    this.optimizer.dispose();
    this.head?.dispose();
    this.disposeParts?.();
  }
}

/**
 * What a finished or interrupted run leaves besides checkpoints: non-empty logs (a fresh start
 * writes them empty), the skipped-images list, and the saved model.
 */
async function runOutputs(out: string, modelDir: string | null): Promise<string[]> {
  const f = await import('node:fs/promises');
  const found: string[] = [];
  for (const name of ['log.jsonl', 'log.csv', SKIPPED_IMAGES_FILE, KEEP_BEST_FILE]) {
    const stat = await f.stat(joinPath(out, name)).catch(() => null);
    if (stat && (!stat.isFile() || stat.size > 0)) found.push(name);
  }
  if (modelDir) {
    const entries = await f.readdir(modelDir).catch(() => null);
    if (entries?.length) found.push(modelDir === joinPath(out, 'model') ? 'model/' : modelDir);
  }
  return found;
}

/**
 * `callback`, whose Node I/O errors name `path` when they name no file (a failed write on an open
 * file), so the CLI's one line says where.
 */
function namingErrors(callback: Callback, path: string): Callback {
  const wrapped: Record<string, unknown> = { ...callback };
  for (const [key, hook] of Object.entries(callback))
    if (typeof hook === 'function' && key !== 'getState' && key !== 'setState')
      wrapped[key] = async (...args: unknown[]) => {
        try {
          return await (hook as (...a: unknown[]) => unknown).apply(callback, args);
        } catch (err) {
          throw errorWithPath(err, path);
        }
      };
  return wrapped as unknown as Callback;
}

/**
 * Checkpoints the backbone layers that are {@link Stateful} (DropBlock's schedule step and mask
 * generator live outside the trainer's variables), keyed by layer name, so a resumed run draws the
 * same masks. The stored shape, `{ [layer]: { step, rng } }` for DropBlock, is the layers' own.
 */
function dropBlockState(backbone: Backbone): Callback {
  const layers = (backbone.layers ?? []).filter(
    (l): l is Stateful & { name: string } =>
      isStateful(l) && typeof (l as { name?: unknown }).name === 'string',
  );
  return {
    name: 'recipe:drop-block',
    getState: () => Object.fromEntries(layers.map((l) => [l.name, l.getState()])),
    setState(state) {
      const s = state as Record<string, JsonValue>;
      for (const l of layers) if (s[l.name] !== undefined) l.setState(s[l.name]);
    },
  };
}
