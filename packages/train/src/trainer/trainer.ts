import * as tf from '@tensorflow/tfjs-core';
import {
  FaceError,
  InvalidArgumentError,
  Rng,
  checkInteger,
  checkNumber,
  isStateful,
  type Stateful,
} from '@face/core';
import type {
  Callback,
  TrainerHandle,
  EpochLogs,
  FitResult,
  StepLogs,
  StopReason,
  UpdateDecision,
  UpdateInfo,
} from '../callbacks/callback';
import { disposeCheckpoint, type Checkpoint, type TrainerPosition } from '../checkpoint/checkpoint';
import {
  datasetSignature,
  fingerprintDifferences,
  makeFingerprint,
  type DatasetLike,
  type Fingerprint,
} from '../checkpoint/fingerprint';
import type { CheckpointInfo, CheckpointManager } from '../checkpoint/manager';
import { CheckpointCorruptError, CheckpointMismatchError } from '../errors';
import type { JsonValue } from '../json';
import type { Optimizer } from '../optim/optimizer';
import type { LearningRateSchedule } from '../schedules/schedule';
import {
  isModelLike,
  modelState,
  namedVariables,
  type NamedVariable,
  type VariablesInput,
} from '../variables';
import { isResumableSource, type EpochBatches, type ResumableBatchSource } from './batch-source';
import { checkCallbackState, extraStateOf, sourceState, type ExtraState } from './state-parts';
import {
  clipGradients,
  disposeStepTensors,
  emptyStepTensors,
  forwardAndGradients,
  readStepValues,
} from './step';

/** What the loss function gets besides the batch. */
export interface StepContext {
  /** 0-based index of this update (the schedule's step). */
  step: number;
  epoch: number;
  batchIndex: number;
  /** The trainer's generator, saved in checkpoints: draw dropout masks and the like from it. */
  rng: Rng;
}

/** A scalar loss, or a loss with extra metrics (tensors or numbers) to log. */
export type LossOutput =
  tf.Scalar | { loss: tf.Scalar; metrics?: Record<string, tf.Tensor | number> };

/** Computes the loss of a batch from the trainer's variables; runs under `tf.variableGrads`. */
export type LossFn<B> = (batch: B, context: StepContext) => LossOutput;

export type { ExtraState } from './state-parts';

export interface TrainerOptions<B> {
  optimizer: Optimizer;
  lossFn: LossFn<B>;
  /**
   * The trainable variables; default: the optimizer's. When given, they must be the optimizer's
   * variables. A model's `nonTrainableWeights` join `state` automatically.
   */
  variables?: VariablesInput;
  /** Non-trainable variables to checkpoint (BatchNorm running statistics, center-loss centers). */
  state?: VariablesInput;
  /** Learning rate per 0-based update; without it the optimizer's `lr` stays. */
  schedule?: LearningRateSchedule;
  /** Clip gradients by global norm (torch `clip_grad_norm_`) before the update. */
  clipGradNorm?: number | { maxNorm: number; normType?: 1 | 2 | typeof Infinity };
  /** Clip each gradient element into [-v, v] (after norm clipping, if both). */
  clipGradValue?: number;
  callbacks?: readonly Callback[];
  /** The run's generator (or its seed); saved in checkpoints. Default: seed 0. */
  rng?: Rng | number;
  /** A JSON description of the run (recipe, backbone, classes) that checkpoints must match. */
  config?: JsonValue;
  /**
   * The training set (a FaceDataset): its class names and (source, label) list join the
   * fingerprint, so resuming on a renamed or changed set is refused instead of remapping classes.
   */
  dataset?: DatasetLike;
  /**
   * User state that is not a tensor, saved in checkpoints (head configuration, sampler
   * position...). The deprecated `{ save, load }` shape is still accepted for one version.
   */
  extraState?: Stateful | ExtraState;
  /** Dispose the tensors of each batch after its step (default true). */
  disposeBatches?: boolean;
  /**
   * Stops training after the update in progress when aborted (Ctrl-C in a CLI): no epoch end, no
   * stop reason saved, so a checkpoint taken then resumes where it stopped. See {@link Trainer.interrupted}.
   */
  signal?: AbortSignal;
  /**
   * Where a fit stopped by `signal` saves a checkpoint, before any `onTrainEnd` hook (one may put
   * other weights back), unless no update was done or that step is saved already.
   */
  interruptCheckpoint?: CheckpointManager;
}

interface EpochAccumulator {
  lossSum: number;
  count: number;
  lr: number;
  metricSums: Record<string, number>;
}

/** The trainer's own checkpointed state (beyond position and variables). */
interface TrainerJson {
  accumulator: EpochAccumulator;
  history: EpochLogs[];
  stopReason: StopReason | null;
}

const emptyAccumulator = (): EpochAccumulator => ({ lossSum: 0, count: 0, lr: 0, metricSums: {} });

/**
 * A training loop generic over variables and a loss: per batch it computes gradients with
 * `tf.variableGrads`, clips them, lets `beforeUpdate` hooks veto (the NaN guard), applies the
 * optimizer at the schedule's rate, and disposes every intermediate. Its position (epoch, batch,
 * step), RNG, optimizer and callback state go into checkpoints, and {@link restore} continues a run
 * so that the result equals an uninterrupted one bit for bit (on a deterministic backend, with a
 * source that honours {@link ResumableBatchSource}'s contract).
 */
export class Trainer<B> implements TrainerHandle {
  readonly optimizer: Optimizer;
  readonly variables: readonly NamedVariable[];
  readonly stateVariables: readonly NamedVariable[];
  readonly rng: Rng;
  readonly fingerprint: Fingerprint;
  readonly callbacks: readonly Callback[];
  private readonly lossFn: LossFn<B>;
  private readonly schedule?: LearningRateSchedule;
  private readonly clipNorm?: { maxNorm: number; normType?: 1 | 2 | typeof Infinity };
  private readonly clipValue?: number;
  private readonly extraState?: Stateful;
  private readonly disposeBatches: boolean;
  private pos: TrainerPosition = { epoch: 0, batchInEpoch: 0, step: 0 };
  private acc: EpochAccumulator = emptyAccumulator();
  private hist: EpochLogs[] = [];
  private stop: StopReason | null = null;
  private source: ResumableBatchSource<B> | null = null;
  private pendingDataState: JsonValue | undefined;
  private perEpoch: number | undefined;
  private running = false;
  private readonly signal?: AbortSignal;
  private wasInterrupted = false;
  private readonly interruptCheckpoint?: CheckpointManager;
  /** Path of the checkpoint this run resumed from, if any. */
  resumedFrom: string | null = null;

  constructor(options: TrainerOptions<B>) {
    const fn = 'Trainer';
    const { optimizer, lossFn } = options;
    if (!optimizer || typeof optimizer.applyGradients !== 'function') {
      throw new InvalidArgumentError(fn, 'optimizer', optimizer, 'an Optimizer (SGD, Adam, AdamW)');
    }
    if (typeof lossFn !== 'function')
      throw new InvalidArgumentError(fn, 'lossFn', lossFn, 'a function (batch, context) => loss');
    this.optimizer = optimizer;
    this.lossFn = lossFn;
    this.variables = options.variables
      ? namedVariables(options.variables, { fn, argument: 'variables' })
      : optimizer.variables;
    const optimized = new Set(optimizer.variables.map((v) => v.variable));
    const listed = new Set(this.variables.map((v) => v.variable));
    const outside = this.variables.find((v) => !optimized.has(v.variable));
    const missing = optimizer.variables.find((v) => !listed.has(v.variable));
    if (outside || missing) {
      throw new InvalidArgumentError(
        fn,
        'variables',
        (outside ?? missing)?.name,
        `the optimizer's variables (${outside ? 'not in the optimizer' : 'missing here'})`,
      );
    }
    const fromModel = isModelLike(options.variables) ? modelState(options.variables) : [];
    const extra = options.state
      ? namedVariables(options.state, { fn, argument: 'state', allowEmpty: true })
      : [];
    this.stateVariables = [...fromModel, ...extra].filter(
      (v, i, all) => all.findIndex((w) => w.name === v.name) === i,
    );
    const trainableNames = new Set(this.variables.map((v) => v.name));
    const clash = this.stateVariables.find((v) => trainableNames.has(v.name));
    if (clash)
      throw new InvalidArgumentError(
        fn,
        'state',
        clash.name,
        'names distinct from the trainable variables',
      );
    if (options.schedule !== undefined && typeof options.schedule !== 'function') {
      throw new InvalidArgumentError(fn, 'schedule', options.schedule, 'a function step => rate');
    }
    this.schedule = options.schedule;
    if (options.clipGradNorm !== undefined) {
      this.clipNorm =
        typeof options.clipGradNorm === 'number'
          ? { maxNorm: options.clipGradNorm }
          : options.clipGradNorm;
      checkNumber(fn, 'clipGradNorm', this.clipNorm?.maxNorm, { min: 0, exclusiveMin: true });
    }
    if (options.clipGradValue !== undefined) {
      checkNumber(fn, 'clipGradValue', options.clipGradValue, { min: 0, exclusiveMin: true });
    }
    this.clipValue = options.clipGradValue;
    this.rng = options.rng instanceof Rng ? options.rng : new Rng(options.rng ?? 0);
    this.extraState = extraStateOf(fn, options.extraState);
    this.disposeBatches = options.disposeBatches ?? true;
    if (options.signal !== undefined && !isAbortSignal(options.signal))
      throw new InvalidArgumentError(fn, 'signal', options.signal, 'an AbortSignal');
    this.signal = options.signal;
    this.interruptCheckpoint = options.interruptCheckpoint;
    const names = new Set<string>();
    for (const [i, cb] of (options.callbacks ?? []).entries()) {
      if (!cb || typeof cb.name !== 'string')
        throw new InvalidArgumentError(fn, `callbacks[${i}]`, cb, 'a Callback with a name');
      if (names.has(cb.name))
        throw new InvalidArgumentError(
          fn,
          `callbacks[${i}].name`,
          cb.name,
          'a name no other callback has',
        );
      names.add(cb.name);
      checkCallbackState(fn, i, cb);
    }
    this.callbacks = (options.callbacks ?? [])
      .map((cb, i) => ({ cb, i }))
      .sort((a, b) => (a.cb.order ?? 0) - (b.cb.order ?? 0) || a.i - b.i)
      .map(({ cb }) => cb);
    this.fingerprint = makeFingerprint({
      variables: this.variables,
      state: this.stateVariables,
      optimizer: optimizer.kind,
      config: options.config ?? null,
      ...(options.dataset ? { data: datasetSignature(options.dataset) } : {}),
    });
  }

  get position(): Readonly<TrainerPosition> {
    return { ...this.pos };
  }
  get step(): number {
    return this.pos.step;
  }
  get epoch(): number {
    return this.pos.epoch;
  }
  get history(): readonly EpochLogs[] {
    return this.hist;
  }
  get stopReason(): StopReason | null {
    return this.stop;
  }
  /** Batches per epoch of the current source, when it says. */
  get batchesPerEpoch(): number | undefined {
    return this.perEpoch;
  }
  /**
   * Whether the last `fit` ended early because its signal was aborted. Unlike a stop reason this
   * is not checkpointed: a run resumed from a checkpoint taken then trains on.
   */
  get interrupted(): boolean {
    return this.wasInterrupted;
  }

  /**
   * Asks the loop to stop after the current hook (callbacks call this). The first reason wins.
   * `step` defaults to the updates done; `value` is the offending value, if any.
   */
  requestStop(
    kind: StopReason['kind'],
    message: string,
    { step = this.pos.step, value }: { step?: number; value?: number } = {},
  ): void {
    this.stop ??= {
      kind,
      message,
      step,
      epoch: this.pos.epoch,
      ...(value !== undefined ? { value } : {}),
    };
  }

  private async each(hook: (cb: Callback) => unknown): Promise<void> {
    for (const cb of this.callbacks) await hook(cb);
  }

  /**
   * Trains until `epochs` epochs are done (counting epochs of the run this one resumed) or a
   * callback stops it. Resumes from the restored position: mid-epoch, the source is asked for the
   * remaining batches of that epoch. `signal` and `interruptCheckpoint` default to the options'.
   */
  async fit(
    data: ResumableBatchSource<B> | EpochBatches<B>,
    {
      epochs,
      signal = this.signal,
      interruptCheckpoint = this.interruptCheckpoint,
    }: { epochs: number; signal?: AbortSignal; interruptCheckpoint?: CheckpointManager },
  ): Promise<FitResult> {
    checkInteger('Trainer.fit', 'epochs', epochs, { min: 1 });
    if (signal !== undefined && !isAbortSignal(signal))
      throw new InvalidArgumentError('Trainer.fit', 'signal', signal, 'an AbortSignal');
    if (this.running) throw new FaceError('Trainer.fit: this trainer is already fitting');
    this.running = true;
    this.wasInterrupted = false;
    try {
      // A step on a CPU backend may never leave the microtask queue, so a signal handler (Ctrl-C)
      // would only run after training: with a signal, each check first yields to the event loop.
      const aborted = signal
        ? async () => {
            await yieldToEventLoop();
            return signal.aborted;
          }
        : async () => false;
      return await this.run(data, epochs, aborted, interruptCheckpoint);
    } finally {
      this.running = false;
      this.source = null;
    }
  }

  private async run(
    data: ResumableBatchSource<B> | EpochBatches<B>,
    epochs: number,
    aborted: () => Promise<boolean>,
    interruptCheckpoint: CheckpointManager | undefined,
  ): Promise<FitResult> {
    const source: ResumableBatchSource<B> = isResumableSource<B>(data)
      ? data
      : typeof data === 'function'
        ? replaySource(data)
        : (() => {
            throw new InvalidArgumentError(
              'Trainer.fit',
              'data',
              data,
              'a ResumableBatchSource or a function epoch => batches',
            );
          })();
    this.source = source;
    if (this.pendingDataState !== undefined) {
      if (this.pendingDataState !== null) source.setState?.(this.pendingDataState);
      this.pendingDataState = undefined;
    }
    await this.each((cb) => cb.onTrainBegin?.(this));
    // An abort is checked between updates only: the update in progress always completes.
    const halt = async () => (this.wasInterrupted ||= await aborted());
    while (!this.stop && this.pos.epoch < epochs && !(await halt())) {
      const epoch = this.pos.epoch;
      this.perEpoch = source.batchesPerEpoch?.(epoch);
      await this.each((cb) => cb.onEpochBegin?.(epoch, this));
      for await (const batch of source.batches({ epoch, batchIndex: this.pos.batchInEpoch })) {
        let logs: StepLogs | null;
        try {
          logs = await this.trainStep(batch);
        } finally {
          if (this.disposeBatches) tf.dispose(batch as tf.TensorContainer);
        }
        if (logs) await this.each((cb) => cb.onBatchEnd?.(logs, this));
        if (this.stop || (await halt())) break;
      }
      // A stop inside the epoch (NaN guard, a callback, an abort) skips its end: no evaluation,
      // no checkpoint; an abort leaves the position mid-epoch, where a checkpoint resumes.
      if (this.stop || this.wasInterrupted) break;
      await this.endEpoch(epoch);
    }
    if (this.wasInterrupted && interruptCheckpoint)
      await this.checkpointInterrupted(interruptCheckpoint);
    const result: FitResult = {
      epochs: this.pos.epoch,
      step: this.pos.step,
      stopReason: this.stop,
      history: [...this.hist],
    };
    await this.each((cb) => cb.onTrainEnd?.(result, this));
    return result;
  }

  private async checkpointInterrupted(manager: CheckpointManager): Promise<void> {
    const step = this.pos.step;
    if (step === 0 || (await manager.list()).some((c) => c.step === step)) return;
    await this.saveCheckpoint(manager);
  }

  private async endEpoch(epoch: number): Promise<void> {
    const a = this.acc;
    const logs: EpochLogs = {
      epoch,
      step: this.pos.step,
      loss: a.count ? a.lossSum / a.count : NaN,
      lr: a.lr,
    };
    for (const [k, s] of Object.entries(a.metricSums)) logs[k] = s / a.count;
    // The position moves first, so an epoch-end checkpoint resumes at the next epoch.
    this.pos = { epoch: epoch + 1, batchInEpoch: 0, step: this.pos.step };
    this.acc = emptyAccumulator();
    this.hist.push(logs);
    await this.each((cb) => cb.onEpochEnd?.(logs, this));
  }

  /** One update on one batch; null when a hook stopped training before it. */
  private async trainStep(batch: B): Promise<StepLogs | null> {
    const index = this.pos.step;
    // The rate is set before the gradients, so the update and its logs use the same one.
    const lr = this.schedule ? this.schedule(index) : this.optimizer.lr;
    this.optimizer.lr = lr;
    const context: StepContext = {
      step: index,
      epoch: this.pos.epoch,
      batchIndex: this.pos.batchInEpoch,
      rng: this.rng,
    };
    const t = emptyStepTensors();
    try {
      const variables = this.variables.map((v) => v.variable);
      const { value, grads } = forwardAndGradients(this.lossFn, batch, context, variables, t);
      const { applied, gradNorm } = clipGradients(grads, this.clipNorm, this.clipValue, t);
      const read = await readStepValues(value, gradNorm, t);
      const info: UpdateInfo = {
        step: index + 1,
        epoch: this.pos.epoch,
        batch: this.pos.batchInEpoch,
        loss: read.loss,
        ...(read.gradNorm !== undefined ? { gradNorm: read.gradNorm } : {}),
        metrics: t.metrics,
      };
      const decision = await this.decideUpdate(info);
      if (decision === 'stop') {
        this.requestStop('callback', `a callback stopped training before update ${index + 1}`, {
          step: index + 1,
        });
        return null;
      }
      if (decision === 'apply') this.optimizer.applyGradients(applied);
      this.countStep(index + 1, read.loss, lr, t.metrics);
      return { ...info, lr };
    } finally {
      disposeStepTensors(t);
    }
  }

  /**
   * Asks the `beforeUpdate` hooks (the NaN guard among them) in order. The strongest answer
   * wins (stop > skip > apply) and a stop ends the asking, so later hooks never see a step that
   * will not happen.
   */
  private async decideUpdate(info: UpdateInfo): Promise<UpdateDecision> {
    let decision: UpdateDecision = 'apply';
    for (const cb of this.callbacks) {
      const d = await cb.beforeUpdate?.(info, this);
      if (d === 'stop' || (d === 'skip' && decision === 'apply')) decision = d;
      if (decision === 'stop') break;
    }
    return decision;
  }

  /**
   * Moves the position past this batch and adds it to the epoch's averages. A skipped update
   * counts too: the batch was drawn, and a resumed run must not draw it again.
   */
  private countStep(step: number, loss: number, lr: number, metrics: Record<string, number>): void {
    this.pos = { ...this.pos, batchInEpoch: this.pos.batchInEpoch + 1, step };
    const a = this.acc;
    a.lossSum += loss;
    a.count += 1;
    a.lr = lr;
    for (const [k, v] of Object.entries(metrics)) a.metricSums[k] = (a.metricSums[k] ?? 0) + v;
  }

  /** The run's state as a checkpoint. Tensors: variables are live (not copies); optimizer slots are copies. */
  snapshot(metrics: Record<string, number> = {}): Checkpoint {
    const callbacks: Record<string, JsonValue> = {};
    for (const cb of this.callbacks) if (isStateful(cb)) callbacks[cb.name] = cb.getState();
    const trainer: TrainerJson = {
      accumulator: this.acc,
      history: this.hist,
      stopReason: this.stop,
    };
    return {
      fingerprint: this.fingerprint,
      position: { ...this.pos },
      variables: Object.fromEntries(this.variables.map((v) => [v.name, v.variable])),
      state: Object.fromEntries(this.stateVariables.map((v) => [v.name, v.variable])),
      optimizer: this.optimizer.getState(),
      rng: this.rng.state(),
      data: sourceState(this.source),
      callbacks,
      trainer: JSON.parse(JSON.stringify(trainer)) as JsonValue,
      extra: this.extraState?.getState() ?? null,
      metrics,
    };
  }

  /** Saves {@link snapshot} through a manager (atomic, rotated). */
  async saveCheckpoint(
    manager: CheckpointManager,
    metrics: Record<string, number> = {},
  ): Promise<CheckpointInfo> {
    const ckpt = this.snapshot(metrics);
    try {
      return await manager.save(ckpt);
    } finally {
      if (ckpt.optimizer)
        for (const s of Object.values(ckpt.optimizer.slots)) tf.dispose(Object.values(s));
    }
  }

  /**
   * Restores a checkpoint into this run: variables, state variables, optimizer, RNG, position,
   * callback, data and extra state. Throws {@link CheckpointMismatchError} (changing nothing) when it
   * was written for another model or configuration. `checkpoint`'s tensors stay the caller's.
   */
  restore(checkpoint: Checkpoint, path = '(checkpoint)'): void {
    const diff = fingerprintDifferences(checkpoint.fingerprint, this.fingerprint);
    if (diff.length) throw new CheckpointMismatchError(path, diff);
    const check = (
      kind: string,
      vars: readonly NamedVariable[],
      tensors: Record<string, tf.Tensor>,
    ) => {
      for (const v of vars) {
        const t = tensors[v.name];
        if (
          !t ||
          t.shape.join(',') !== v.variable.shape.join(',') ||
          t.dtype !== v.variable.dtype
        ) {
          throw new CheckpointCorruptError(
            path,
            `${kind} '${v.name}' is missing or has another shape`,
          );
        }
      }
    };
    check('variable', this.variables, checkpoint.variables);
    check('state variable', this.stateVariables, checkpoint.state);
    const trainer = checkpoint.trainer as unknown as TrainerJson | null;
    if (checkpoint.optimizer) this.optimizer.setState(checkpoint.optimizer);
    for (const cb of this.callbacks) {
      const s = checkpoint.callbacks[cb.name];
      if (s !== undefined && isStateful(cb)) cb.setState(s);
    }
    if (this.extraState && checkpoint.extra !== null) this.extraState.setState(checkpoint.extra);
    for (const v of this.variables) v.variable.assign(checkpoint.variables[v.name]);
    for (const v of this.stateVariables) v.variable.assign(checkpoint.state[v.name]);
    if (checkpoint.rng) this.rng.setState(checkpoint.rng);
    this.pos = { ...checkpoint.position };
    this.acc = trainer?.accumulator ?? emptyAccumulator();
    this.hist = trainer?.history ?? [];
    this.stop = trainer?.stopReason ?? null;
    this.pendingDataState = checkpoint.data;
    this.resumedFrom = path;
  }

  /**
   * Restores the latest checkpoint of `manager` that loads whole; returns its info, or null when
   * the directory has no checkpoint folder (a fresh start). A corrupt newer checkpoint is skipped
   * and `onFallback` (default `console.warn`) says so; folders present but none loadable throw
   * `NoValidCheckpointError`. Refuses (throws, changes nothing) a directory written for another
   * configuration or training set.
   */
  async resume(
    manager: CheckpointManager,
    which: 'latest' | 'best' = 'latest',
    {
      onFallback = (m: string) => console.warn(m),
    }: { onFallback?: (message: string) => void } = {},
  ): Promise<CheckpointInfo | null> {
    await manager.assertCompatible(this.fingerprint);
    const loaded = await manager.loadValid(which);
    if (!loaded) return null;
    const { checkpoint, info, skipped } = loaded;
    try {
      this.restore(checkpoint, info.path);
    } finally {
      disposeCheckpoint(checkpoint);
    }
    if (skipped.length) {
      onFallback(
        `resuming from ${info.path} (step ${info.step}): skipped ${skipped.length} checkpoint(s) ` +
          `that cannot be loaded: ${skipped.map((s) => s.reason).join('; ')}`,
      );
    }
    return info;
  }
}

/** Resolves after pending I/O callbacks (signals among them) have run. */
function yieldToEventLoop(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown };
  return new Promise((resolve) =>
    g.setImmediate ? g.setImmediate(resolve) : setTimeout(resolve, 0),
  );
}

function isAbortSignal(x: unknown): x is AbortSignal {
  return typeof x === 'object' && x !== null && typeof (x as AbortSignal).aborted === 'boolean';
}

/** A per-epoch factory as a resumable source: resumes by replaying and disposing batches. */
function replaySource<B>(make: EpochBatches<B>): ResumableBatchSource<B> {
  return {
    async *batches({ epoch, batchIndex }) {
      let i = 0;
      for await (const batch of make(epoch)) {
        if (i++ < batchIndex) tf.dispose(batch as tf.TensorContainer);
        else yield batch;
      }
    },
  };
}
