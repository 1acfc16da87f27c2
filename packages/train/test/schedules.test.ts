import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { expectClose, loadFixture } from '@face/test-support';
import {
  cosineAnnealing,
  linearWarmup,
  multiStepDecay,
  oneCycle,
  polynomialDecay,
  stepDecay,
  type LearningRateSchedule,
  type LinearWarmupOptions,
  type OneCycleOptions,
} from '@face/train';

interface Case {
  name: string;
  options: Record<string, unknown>;
  lrs: number[];
}
type Opts = Record<string, number & number[]>;

function build(kind: string, o: Opts): LearningRateSchedule {
  switch (kind) {
    case 'step':
      return stepDecay(o.baseLr, o.stepSize, o.gamma);
    case 'multiStep':
      return multiStepDecay(o.baseLr, o.milestones, o.gamma);
    case 'cosine':
      return cosineAnnealing(o.baseLr, o.totalSteps, { minLr: o.minLr });
    case 'polynomial':
      return polynomialDecay(o.baseLr, o.totalSteps, { power: o.power });
    case 'oneCycle':
      return oneCycle(o as unknown as OneCycleOptions);
    default:
      throw new Error(`unknown case ${kind}`);
  }
}

function fromFixture(c: Case): LearningRateSchedule {
  const kind = c.name.split('-')[0];
  if (kind !== 'warmup') return build(kind, c.options as Opts);
  const { after, ...warm } = c.options as unknown as {
    after: Record<string, Opts>;
  } & LinearWarmupOptions;
  const [[innerKind, innerOptions]] = Object.entries(after);
  return linearWarmup(build(innerKind, innerOptions), warm);
}

describe('schedules match torch.optim.lr_scheduler', () => {
  const cases = loadFixture<Case[]>(import.meta.url, 'schedules');
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const lr = fromFixture(c);
    expectClose(
      c.lrs.map((_, t) => lr(t)),
      c.lrs,
      { rtol: 1e-10, atol: 1e-15, what: c.name },
    );
  });
});

describe('schedule edges', () => {
  it('cosine and polynomial hold their final rate after totalSteps', () => {
    expect(cosineAnnealing(0.1, 10, { minLr: 0.01 })(25)).toBeCloseTo(0.01, 15);
    expect(polynomialDecay(0.1, 4, { endLr: 0.02 })(9)).toBeCloseTo(0.02, 15);
  });

  it('warm-up from zero reaches the target rate at warmupSteps', () => {
    const lr = linearWarmup(cosineAnnealing(0.2, 10), { warmupSteps: 5, startFactor: 0 });
    expect([0, 1, 5].map(lr)).toEqual([0, 0.2 * 0.2, 0.2]);
  });

  it('one-cycle refuses steps past totalSteps and phases of no length', () => {
    const lr = oneCycle({ maxLr: 1, totalSteps: 10 });
    expect(lr(9)).toBeGreaterThan(0);
    expect(() => lr(10)).toThrow(/step must be an integer <= 9/);
    expect(() => oneCycle({ maxLr: 1, totalSteps: 3, pctStart: 0.2 })).toThrow(
      InvalidArgumentError,
    );
  });

  it('rejects bad arguments with the argument named', () => {
    expect(() => multiStepDecay(0.1, [5, 3])).toThrow(/milestones\[1\] must be > milestones\[0\]/);
    expect(() => cosineAnnealing(0.1, 0)).toThrow(/totalSteps must be an integer >= 1/);
    expect(() => cosineAnnealing(0.1, 10, { minLr: 0.5 })).toThrow(/minLr/);
    expect(() =>
      linearWarmup(stepDecay(0.1, 2), { warmupSteps: 2, mode: 'x' as 'chained' }),
    ).toThrow(/mode must be one of/);
    expect(() => polynomialDecay(0.1, 5)(-1)).toThrow(/step must be an integer >= 0/);
  });
});
