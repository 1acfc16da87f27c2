import { InvalidArgumentError, checkInteger, checkNumber, checkOneOf } from '@face/core';
import {
  Adam,
  AdamW,
  cosineAnnealing,
  type LearningRateSchedule,
  linearWarmup,
  multiStepDecay,
  type NamedVariable,
  oneCycle,
  type Optimizer,
  type ParamGroupInput,
  polynomialDecay,
  SGD,
  splitWeightDecay,
  stepDecay,
  type VariablesInput,
} from '@face/train';
import { DEFAULT_WEIGHT_DECAY } from './defaults';

export const OPTIMIZER_KINDS = ['sgd', 'adam', 'adamw'] as const;
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];

/** The optimizer of a recipe, by name; the head is updated in the same step as the backbone. */
export interface OptimizerSpec {
  /** Default 'adamw'. */
  kind?: OptimizerKind;
  /** Base learning rate. Default 0.1 for SGD, 1e-3 for Adam(W). */
  lr?: number;
  /** SGD momentum. Default 0.9. */
  momentum?: number;
  /** Default 5e-4 (SGD, Adam: L2; AdamW: decoupled). Biases and norm parameters get none. */
  weightDecay?: number;
  /** Rate multiplier of the backbone (lower it to fine-tune). Default 1. */
  backboneLrScale?: number;
  /** Rate multiplier of the head. Default 1. */
  headLrScale?: number;
}

export const SCHEDULE_KINDS = [
  'constant',
  'cosine',
  'step',
  'multistep',
  'polynomial',
  'onecycle',
] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/** A learning-rate schedule in epochs; turned into steps once the batches per epoch are known. */
export interface ScheduleSpec {
  /** Default 'cosine'. */
  kind?: ScheduleKind;
  /** Linear warm-up from lr/10 over this many epochs (may be fractional). Default 0. */
  warmupEpochs?: number;
  /** Floor of the cosine schedule. Default 0. */
  minLr?: number;
  /** 'step': decay every this many epochs. */
  stepEpochs?: number;
  /** 'multistep': decay at these epochs. */
  milestones?: number[];
  /** Decay factor of 'step' / 'multistep'. Default 0.1. */
  gamma?: number;
  /** 'polynomial' power. Default 1. */
  power?: number;
}

/** The backbone's and the head's variables as parameter groups, then the optimizer. */
export function buildOptimizer(
  fn: string,
  spec: OptimizerSpec,
  backbone: VariablesInput,
  head: readonly NamedVariable[],
): Optimizer {
  const kind = checkOneOf(fn, 'optimizer.kind', spec.kind ?? 'adamw', OPTIMIZER_KINDS);
  const lr = checkNumber(fn, 'optimizer.lr', spec.lr ?? (kind === 'sgd' ? 0.1 : 1e-3), {
    min: 0,
    exclusiveMin: true,
  });
  const weightDecay = checkNumber(
    fn,
    'optimizer.weightDecay',
    spec.weightDecay ?? DEFAULT_WEIGHT_DECAY,
    {
      min: 0,
    },
  );
  const backboneLrScale = checkNumber(fn, 'optimizer.backboneLrScale', spec.backboneLrScale ?? 1, {
    min: 0,
  });
  const headLrScale = checkNumber(fn, 'optimizer.headLrScale', spec.headLrScale ?? 1, { min: 0 });
  type O = { lr: number; weightDecay: number };
  const groups: ParamGroupInput<O>[] = [
    // A frozen backbone (the fine-tune recipe's linear probe) has no group of its own.
    ...(frozen(backbone) ? [] : splitWeightDecay<O>(backbone, { lrScale: backboneLrScale })),
    ...(head.length ? splitWeightDecay<O>([...head], { lrScale: headLrScale }) : []),
  ].filter((g) => (g.variables as unknown[]).length > 0);
  if (groups.length === 0)
    throw new InvalidArgumentError(fn, 'backbone', backbone, 'at least one trainable weight');
  if (kind === 'sgd') {
    const momentum = checkNumber(fn, 'optimizer.momentum', spec.momentum ?? 0.9, { min: 0 });
    return new SGD(groups, { lr, momentum, weightDecay });
  }
  return kind === 'adam'
    ? new Adam(groups, { lr, weightDecay })
    : new AdamW(groups, { lr, weightDecay });
}

/** A model whose weights are all frozen (an empty `trainableWeights`). */
function frozen(backbone: VariablesInput): boolean {
  const weights = (backbone as { trainableWeights?: unknown }).trainableWeights;
  return Array.isArray(weights) && weights.length === 0;
}

/** A schedule spec (in epochs) as a function of the update index. */
export function buildSchedule(
  fn: string,
  spec: ScheduleSpec | LearningRateSchedule,
  lr: number,
  epochs: number,
  batchesPerEpoch: number,
): LearningRateSchedule {
  if (typeof spec === 'function') return spec;
  const kind = checkOneOf(fn, 'schedule.kind', spec.kind ?? 'cosine', SCHEDULE_KINDS);
  const total = Math.max(1, epochs * batchesPerEpoch);
  const warmupEpochs = checkNumber(fn, 'schedule.warmupEpochs', spec.warmupEpochs ?? 0, {
    min: 0,
    max: epochs,
  });
  const warmup = Math.min(total - 1, Math.round(warmupEpochs * batchesPerEpoch));
  const gamma = checkNumber(fn, 'schedule.gamma', spec.gamma ?? 0.1, { min: 0 });
  const steps = (e: number) => Math.max(1, Math.round(e * batchesPerEpoch));
  let after: LearningRateSchedule;
  switch (kind) {
    case 'constant':
      after = () => lr;
      break;
    case 'cosine':
      after = cosineAnnealing(lr, total - warmup, {
        minLr: checkNumber(fn, 'schedule.minLr', spec.minLr ?? 0, { min: 0 }),
      });
      break;
    case 'step': {
      const every = checkNumber(fn, 'schedule.stepEpochs', spec.stepEpochs, {
        min: 0,
        exclusiveMin: true,
      });
      after = stepDecay(lr, steps(every), gamma);
      break;
    }
    case 'multistep': {
      const milestones = spec.milestones;
      if (!Array.isArray(milestones) || milestones.length === 0)
        throw new InvalidArgumentError(
          fn,
          'schedule.milestones',
          milestones,
          'epochs at which to decay',
        );
      milestones.forEach((m, i) => checkNumber(fn, `schedule.milestones[${i}]`, m, { min: 0 }));
      after = multiStepDecay(
        lr,
        [...new Set(milestones.map(steps))].sort((a, b) => a - b),
        gamma,
      );
      break;
    }
    case 'polynomial':
      after = polynomialDecay(lr, total - warmup, {
        power: checkNumber(fn, 'schedule.power', spec.power ?? 1, { min: 0 }),
      });
      break;
    default:
      // One-cycle has its own warm-up (pctStart); a step past the end holds the final rate.
      if (warmup > 0)
        throw new InvalidArgumentError(
          fn,
          'schedule.warmupEpochs',
          warmupEpochs,
          "0 with 'onecycle'",
        );
      checkInteger(fn, 'total steps', total, { min: 2 });
      {
        const cycle = oneCycle({ maxLr: lr, totalSteps: total });
        return (step) => cycle(Math.min(step, total - 1));
      }
  }
  return warmup > 0 ? linearWarmup(after, { warmupSteps: warmup, startFactor: 0.1 }) : after;
}
