import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkNumber, checkOneOf } from '@face/core';
import { disposeCheckpoint } from '../checkpoint/checkpoint';
import type { CheckpointManager } from '../checkpoint/manager';
import type { JsonValue } from '../json';
import type { Callback, FitResult, TrainerHandle } from './callback';

/** What the keep-best guard did (`FitResult.keepBest`). */
export interface KeepBestSummary {
  monitor: string;
  mode: 'min' | 'max';
  /** The starting weights' score; null when it could not be measured (no metric). */
  start: number | null;
  /** Epochs done when the guard first scored the weights (0 for a fresh run: the start). */
  startEpoch: number;
  /** Best score, the start included. */
  best: number | null;
  /** Epoch of the kept weights: `startEpoch` = the start, e = after epoch e (1-based). */
  bestEpoch: number;
  /**
   * Everything `evaluate` returned for the starting weights (the logs of a kept epoch are in
   * the history); null from a checkpoint saved before it was recorded.
   */
  startMetrics: Record<string, number> | null;
  /** Best score of a trained epoch, and its epoch (null: no epoch was scored). */
  bestTrained: number | null;
  bestTrainedEpoch: number | null;
  /** Epochs done when training ended. */
  epochs: number;
  /** Training beat the start (by more than `minDelta`). */
  improved: boolean;
  /** The weights left in the model are the best (false only when they could not be restored). */
  restored: boolean;
  /** One line for logs: says when training did not beat the start and the start was kept. */
  message: string;
}

export interface KeepBestWeightsOptions {
  /** Epoch-log metric (e.g. `val_auc`, added by the evaluation callback). */
  monitor: string;
  mode?: 'min' | 'max';
  /** Smallest change that counts as better. Default 0. */
  minDelta?: number;
  /** Scores the weights before the first update (metrics keyed without prefix, like `monitor`). */
  evaluate: (trainer: TrainerHandle) => Record<string, number> | Promise<Record<string, number>>;
  /**
   * Saves the starting weights as a step-0 checkpoint (ranked by its metrics like any other), so a
   * resumed run can still go back to them; and finds the best epoch's weights there after a resume.
   */
  manager?: CheckpointManager;
  /** Where it reports the start and the outcome. Default: nowhere. */
  onNotice?: (message: string) => void;
}

type Copy = Map<string, tf.Tensor>;
const fmt = (x: number | null) => (x === null ? 'n/a' : x.toFixed(4));

/**
 * The keep-best guard: scores the starting weights before the first update, keeps a copy of the
 * best weights (the start included) as epochs are scored, and at the end of training puts the
 * best back into the variables, so a run never hands back weights worse than it started from.
 * Runs after evaluation and before checkpoints (order 1), so each checkpoint carries its state;
 * after a resume, the best weights come from `manager` (the step-0 checkpoint for the start).
 * `result.keepBest` gets its {@link KeepBestSummary}. Epochs without `monitor` are not scored.
 * A fit stopped by its signal (`trainer.interrupted`) ends with neither: it is to be resumed.
 */
export function keepBestWeights(options: KeepBestWeightsOptions): Callback & {
  readonly summary: KeepBestSummary | null;
  /** Frees the copy (for a run that failed or was interrupted before its end). */
  dispose(): void;
  /**
   * Puts the best weights back now (for a run resumed after its end, which `fit()` will not
   * train again); false when they are in neither memory nor a checkpoint, or nothing was scored.
   */
  restoreBest(trainer: TrainerHandle): Promise<boolean>;
} {
  const fn = 'keepBestWeights';
  const { monitor, evaluate, manager, onNotice = () => {} } = options ?? ({} as never);
  if (typeof monitor !== 'string' || !monitor)
    throw new InvalidArgumentError(fn, 'monitor', monitor, 'a metric name');
  if (typeof evaluate !== 'function')
    throw new InvalidArgumentError(fn, 'evaluate', evaluate, 'a function returning metrics');
  const mode = checkOneOf(fn, 'mode', options.mode ?? 'max', ['min', 'max'] as const);
  const minDelta = checkNumber(fn, 'minDelta', options.minDelta ?? 0, { min: 0 });
  const better = (v: number, than: number | null) =>
    Number.isFinite(v) &&
    (than === null || (mode === 'max' ? v > than + minDelta : v < than - minDelta));

  let s = {
    started: false,
    start: null as number | null,
    startEpoch: 0,
    best: null as number | null,
    bestEpoch: 0,
    bestStep: 0,
    bestTrained: null as number | null,
    bestTrainedEpoch: null as number | null,
    startMetrics: null as Record<string, number> | null,
  };
  let copy: Copy | null = null;
  let summary: KeepBestSummary | null = null;

  const dispose = () => {
    if (copy) tf.dispose([...copy.values()]);
    copy = null;
  };
  const all = (t: TrainerHandle) => [...t.variables, ...t.stateVariables];
  const keep = (t: TrainerHandle) => {
    dispose();
    copy = new Map(all(t).map((v) => [v.name, tf.clone(v.variable)]));
  };
  /** Puts the best weights back; false when they are in neither memory nor a checkpoint. */
  const restore = async (t: TrainerHandle): Promise<boolean> => {
    if (copy) {
      for (const v of all(t)) v.variable.assign(copy.get(v.name)!);
      return true;
    }
    const info = (await manager?.list())?.find((c) => c.step === s.bestStep);
    if (!manager || !info) return false;
    const ckpt = await manager.load(info.path);
    if (!ckpt) return false;
    try {
      for (const v of t.variables) v.variable.assign(ckpt.variables[v.name]);
      for (const v of t.stateVariables) v.variable.assign(ckpt.state[v.name]);
    } finally {
      disposeCheckpoint(ckpt);
    }
    return true;
  };

  return {
    name: `keepBest:${monitor}`,
    order: 1,
    get summary() {
      return summary;
    },
    dispose,
    async restoreBest(trainer) {
      if (!s.started) return false;
      return s.bestStep === trainer.step || (await restore(trainer));
    },
    // Not onTrainBegin: the checkpoint callback must first check the folder holds no other run.
    async onEpochBegin(_epoch, trainer) {
      if (s.started) return;
      s.started = true;
      const metrics = await evaluate(trainer);
      const v = metrics?.[monitor];
      if (typeof v !== 'number')
        throw new InvalidArgumentError(fn, `evaluate() result.${monitor}`, v, 'a number');
      s.start = Number.isFinite(v) ? v : null;
      // JSON keeps finite numbers only (the state is checkpointed).
      s.startMetrics = Object.fromEntries(
        Object.entries(metrics).filter(([, x]) => typeof x === 'number' && Number.isFinite(x)),
      );
      s.startEpoch = trainer.epoch;
      s.best = s.start;
      s.bestEpoch = trainer.epoch;
      s.bestStep = trainer.step;
      keep(trainer);
      onNotice(`keep-best: ${monitor} ${fmt(s.start)} at the start (epoch ${trainer.epoch})`);
      if (manager && trainer.step === 0 && trainer.resumedFrom === null)
        await trainer.saveCheckpoint(manager, { ...metrics, epoch: -1, step: 0 });
    },
    onEpochEnd(logs, trainer) {
      const v = logs[monitor];
      if (v === undefined) return;
      if (better(v, s.bestTrained)) {
        s.bestTrained = v;
        s.bestTrainedEpoch = logs.epoch + 1;
      }
      if (!better(v, s.best)) return;
      s.best = v;
      s.bestEpoch = logs.epoch + 1;
      s.bestStep = trainer.step;
      keep(trainer);
    },
    async onTrainEnd(result: FitResult, trainer) {
      if (!s.started) return;
      // Stopped to be resumed (Ctrl-C): the weights stay as they are and nothing is said; the
      // checkpoint taken then keeps the guard's state, and the resumed run restores and reports
      // when it ends. The copy stays for a fit continued in this process (`dispose()` frees it).
      if (trainer.interrupted) return;
      const current = s.bestStep === trainer.step;
      const restored = current || (await restore(trainer));
      dispose();
      const improved = s.bestEpoch !== s.startEpoch;
      const trained = `best trained epoch ${s.bestTrainedEpoch ?? '-'}: ${fmt(s.bestTrained)}`;
      const message = !restored
        ? `keep-best: the best weights (epoch ${s.bestEpoch}, ${monitor} ${fmt(s.best)}) could not be found after the resume; kept the last`
        : improved
          ? `keep-best: ${monitor} ${fmt(s.start)} at the start, best ${fmt(s.best)} at epoch ${s.bestEpoch}; kept epoch ${s.bestEpoch}`
          : `keep-best: training did not beat the starting model (${monitor} ${fmt(s.start)} at the start, ${trained}); kept the start`;
      summary = {
        monitor,
        mode,
        start: s.start,
        startEpoch: s.startEpoch,
        best: s.best,
        bestEpoch: s.bestEpoch,
        startMetrics: s.startMetrics ?? null,
        bestTrained: s.bestTrained,
        bestTrainedEpoch: s.bestTrainedEpoch,
        epochs: trainer.epoch,
        improved,
        restored,
        message,
      };
      onNotice(message);
      // The trainer returns this same object: the summary travels with the fit result.
      result.keepBest = summary;
    },
    getState: () => ({ ...s }) as unknown as JsonValue,
    setState(state: JsonValue) {
      s = { ...(state as unknown as typeof s) };
      s.startMetrics ??= null; // a checkpoint saved before it was recorded
      dispose(); // the copy was of other weights; the best now comes from `manager`
    },
  };
}
