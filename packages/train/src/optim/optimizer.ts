import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ShapeError, checkNumber } from '@face/core';
import { namedVariables, type NamedVariable, type VariablesInput } from '../variables';

/** Options every optimizer has. */
export interface BaseOptimizerOptions {
  /** Learning rate; a schedule overwrites it every step through `optimizer.lr`. */
  lr: number;
  /** Weight decay (coupled L2 for SGD/Adam, decoupled for AdamW). */
  weightDecay: number;
}

/**
 * A parameter group (torch's `param_groups`): variables with their own options. `lrScale` multiplies
 * the optimizer's rate, so a schedule keeps driving every group (e.g. `lrScale: 10` for a margin head).
 */
export type ParamGroupInput<O> = { variables: VariablesInput; lrScale?: number } & Partial<O>;

/** Variables (one group with the optimizer's options) or an array of parameter groups. */
export type ParamsInput<O> = VariablesInput | readonly ParamGroupInput<O>[];

/** A resolved group: its variables and complete options. */
export interface ParamGroup<O> {
  readonly variables: readonly NamedVariable[];
  readonly options: Readonly<O & { lrScale: number }>;
}

/**
 * Everything an optimizer accumulates, for checkpoints: the per-variable update counts and the
 * per-variable slot tensors (momentum buffers, Adam moments) keyed by variable name, then slot name.
 */
export interface OptimizerState {
  kind: string;
  /** Update counts per variable (torch's `state[p]['step']`); variables never updated are absent. */
  steps: Record<string, number>;
  slots: Record<string, Record<string, tf.Tensor>>;
}

/** Gradients keyed by `tf.Variable.name` (what `tf.variableGrads` returns) or by variable. */
export type Gradients =
  Readonly<Record<string, tf.Tensor | null | undefined>> | ReadonlyMap<tf.Variable, tf.Tensor>;

function isGroupArray<O>(params: ParamsInput<O>): params is readonly ParamGroupInput<O>[] {
  return (
    Array.isArray(params) &&
    params.length > 0 &&
    params.every(
      (p) => !!p && typeof p === 'object' && 'variables' in p && !(p instanceof tf.Variable),
    )
  );
}

/**
 * Base of the PyTorch-semantics optimizers: holds parameter groups and explicit state, applies one
 * update per variable inside `tf.tidy`, and assigns the result (then the variable's constraint).
 * Variables without a gradient are skipped and keep their state, as torch skips `grad is None`.
 */
export abstract class Optimizer<O extends BaseOptimizerOptions = BaseOptimizerOptions> {
  abstract readonly kind: string;
  /** The current base learning rate; group `g` uses `lr * g.options.lrScale`. */
  lr: number;
  readonly groups: readonly ParamGroup<O>[];
  private readonly steps = new Map<string, number>();
  private readonly slots = new Map<string, Map<string, tf.Variable>>();

  protected constructor(
    protected readonly fn: string,
    params: ParamsInput<O>,
    options: Partial<O>,
    private readonly resolve: (options: Partial<O>, argument: string) => O,
  ) {
    const defaults = resolve(options, 'options');
    this.lr = defaults.lr;
    const groupInputs: readonly ParamGroupInput<O>[] = isGroupArray(params)
      ? params
      : [{ variables: params as VariablesInput } as ParamGroupInput<O>];
    const seen = new Set<string>();
    this.groups = groupInputs.map((g, i) => {
      const { variables, lrScale = 1, ...overrides } = g;
      const argument = groupInputs.length > 1 || isGroupArray(params) ? `params[${i}]` : 'params';
      const vars = namedVariables(variables, {
        fn,
        argument: `${argument}.variables`,
        allowEmpty: true,
      });
      for (const v of vars) {
        if (seen.has(v.name)) {
          throw new InvalidArgumentError(
            fn,
            argument,
            v.name,
            'each variable in one parameter group only',
          );
        }
        seen.add(v.name);
      }
      checkNumber(fn, `${argument}.lrScale`, lrScale, { min: 0 });
      const merged = resolve({ ...defaults, ...(overrides as unknown as Partial<O>) }, argument);
      return { variables: vars, options: { ...merged, lrScale } };
    });
    if (seen.size === 0)
      throw new InvalidArgumentError(fn, 'params', params, 'at least one variable');
  }

  /** All variables, in group order. */
  get variables(): NamedVariable[] {
    return this.groups.flatMap((g) => g.variables);
  }

  /** The learning rate group `index` uses now. */
  groupLr(index: number): number {
    return this.lr * this.groups[index].options.lrScale;
  }

  /** Applies one update to every variable that has a gradient. Does not dispose `grads`. */
  applyGradients(grads: Gradients): void {
    const lookup = (v: tf.Variable): tf.Tensor | null | undefined =>
      grads instanceof Map ? grads.get(v) : (grads as Record<string, tf.Tensor | null>)[v.name];
    this.groups.forEach((group, gi) => {
      const lr = this.groupLr(gi);
      for (const p of group.variables) {
        const g = lookup(p.variable);
        if (g == null) continue;
        if (g.shape.join(',') !== p.variable.shape.join(',')) {
          throw new ShapeError(
            this.fn,
            `grads['${p.name}']`,
            g.shape,
            `the variable's shape [${p.variable.shape.join(', ')}]`,
          );
        }
        const step = (this.steps.get(p.name) ?? 0) + 1;
        tf.tidy(() => {
          let next = this.update(p, g, step, group.options, lr);
          if (p.constraint) next = p.constraint(next);
          p.variable.assign(next);
        });
        this.steps.set(p.name, step);
      }
    });
  }

  /**
   * One variable's update (torch's `_single_tensor_*` body): returns the new value, reading and
   * writing slots with {@link slot} / {@link setSlot}. Runs inside `tf.tidy`. `step` counts from 1.
   */
  protected abstract update(
    p: NamedVariable,
    grad: tf.Tensor,
    step: number,
    options: Readonly<O>,
    lr: number,
  ): tf.Tensor;

  protected slot(name: string, slotName: string): tf.Variable | undefined {
    return this.slots.get(name)?.get(slotName);
  }

  protected setSlot(name: string, slotName: string, value: tf.Tensor): void {
    let perVar = this.slots.get(name);
    if (!perVar) this.slots.set(name, (perVar = new Map()));
    const existing = perVar.get(slotName);
    if (existing) existing.assign(value);
    else perVar.set(slotName, tf.variable(value, false));
  }

  /** A copy of the state (the caller owns and disposes the tensors). */
  getState(): OptimizerState {
    const slots: OptimizerState['slots'] = {};
    for (const [name, perVar] of this.slots) {
      slots[name] = {};
      for (const [slotName, v] of perVar) slots[name][slotName] = v.clone();
    }
    return { kind: this.kind, steps: Object.fromEntries(this.steps), slots };
  }

  /**
   * Replaces the state with a copy of `state` (which stays the caller's). Checks everything before
   * changing anything: the kind, that every name is one of this optimizer's variables, and shapes.
   */
  setState(state: OptimizerState): void {
    const fn = `${this.fn}.setState`;
    if (!state || state.kind !== this.kind) {
      throw new InvalidArgumentError(
        fn,
        'state.kind',
        state?.kind,
        `'${this.kind}' (state saved by another optimizer)`,
      );
    }
    const byName = new Map(this.variables.map((v) => [v.name, v.variable]));
    for (const [name, n] of Object.entries(state.steps ?? {})) {
      if (!byName.has(name))
        throw new InvalidArgumentError(
          fn,
          'state.steps',
          name,
          'the name of a variable of this optimizer',
        );
      if (!Number.isInteger(n) || n < 0)
        throw new InvalidArgumentError(fn, `state.steps['${name}']`, n, 'an integer >= 0');
    }
    for (const [name, perVar] of Object.entries(state.slots ?? {})) {
      const v = byName.get(name);
      if (!v)
        throw new InvalidArgumentError(
          fn,
          'state.slots',
          name,
          'the name of a variable of this optimizer',
        );
      for (const [slotName, t] of Object.entries(perVar)) {
        if (!(t instanceof tf.Tensor) || t.shape.join(',') !== v.shape.join(',')) {
          throw new InvalidArgumentError(
            fn,
            `state.slots['${name}'].${slotName}`,
            t,
            `a tensor of shape [${v.shape.join(', ')}]`,
          );
        }
      }
    }
    this.disposeSlots();
    this.steps.clear();
    for (const [name, n] of Object.entries(state.steps ?? {})) this.steps.set(name, n);
    for (const [name, perVar] of Object.entries(state.slots ?? {})) {
      // tfjs tensors are immutable and `assign` swaps data, so a variable may alias `t`'s data.
      for (const [slotName, t] of Object.entries(perVar)) this.setSlot(name, slotName, t);
    }
  }

  /** JSON description of the configuration (kind, groups, options), for manifests and fingerprints. */
  config(): { kind: string; groups: { variables: string[]; options: Record<string, unknown> }[] } {
    return {
      kind: this.kind,
      groups: this.groups.map((g) => ({
        variables: g.variables.map((v) => v.name),
        options: { ...g.options },
      })),
    };
  }

  private disposeSlots(): void {
    for (const perVar of this.slots.values()) for (const v of perVar.values()) v.dispose();
    this.slots.clear();
  }

  /** Frees the slot variables. */
  dispose(): void {
    this.disposeSlots();
    this.steps.clear();
  }
}
