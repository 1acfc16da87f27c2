import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, describeValue } from '@face/core';

/**
 * A variable under the name it has in checkpoints and optimizer state. Names are the stable keys
 * of a run: a resumed process must build the same names (tfjs's own variable names carry global
 * counters, so name layers explicitly or pass a record when in doubt).
 */
export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.Variable;
  /** Projection applied after each update (a tfjs-layers kernel constraint), if any. */
  readonly constraint?: (value: tf.Tensor) => tf.Tensor;
}

/** What tfjs-layers' `LayerVariable` exposes: `model.trainableWeights` holds these. */
export interface LayerVariableLike {
  readonly name: string;
  /** The scoped name without tfjs's uniquifying suffix (`fc/kernel`, not `fc/kernel_1`). */
  readonly originalName?: string;
  /** The underlying variable (typed `Tensor` by tfjs-layers; checked at run time). */
  read(): tf.Tensor;
  readonly constraint?: { apply(value: tf.Tensor): tf.Tensor } | null;
}

/** What a tfjs-layers `LayersModel` (or `Layer`) exposes; non-trainable weights are BatchNorm statistics. */
export interface ModelLike {
  readonly trainableWeights: readonly LayerVariableLike[];
  readonly nonTrainableWeights?: readonly LayerVariableLike[];
}

/** One entry of a variables list. */
export type VariableEntry = tf.Variable | LayerVariableLike | NamedVariable;

/**
 * Every way to hand variables to the trainer, the optimizers and checkpoints: a list of
 * `tf.Variable`s (named by `variable.name`), of tfjs-layers weights (named by `originalName`), of
 * `{ name, variable }`, a record `name -> tf.Variable`, a model (its `trainableWeights`), or an
 * array mixing these.
 */
export type VariablesInput =
  ModelLike | Readonly<Record<string, tf.Variable>> | readonly (VariableEntry | ModelLike)[];

/** A tfjs-layers model, or anything with `trainableWeights`. */
export function isModelLike(x: unknown): x is ModelLike {
  return !!x && typeof x === 'object' && Array.isArray((x as ModelLike).trainableWeights);
}

function isLayerVariable(x: unknown): x is LayerVariableLike {
  return (
    !!x &&
    typeof x === 'object' &&
    typeof (x as LayerVariableLike).read === 'function' &&
    typeof (x as LayerVariableLike).name === 'string'
  );
}

function isNamed(x: unknown): x is NamedVariable {
  return (
    !!x &&
    typeof x === 'object' &&
    typeof (x as NamedVariable).name === 'string' &&
    (x as NamedVariable).variable instanceof tf.Variable
  );
}

function entry(fn: string, argument: string, x: unknown): NamedVariable[] {
  if (x instanceof tf.Variable) return [{ name: x.name, variable: x }];
  if (isNamed(x)) return [x];
  if (isModelLike(x))
    return x.trainableWeights.map((w, i) => entry(fn, `${argument}.trainableWeights[${i}]`, w)[0]);
  if (isLayerVariable(x)) {
    const variable = x.read();
    if (!(variable instanceof tf.Variable)) {
      throw new InvalidArgumentError(fn, `${argument}.read()`, variable, 'a tf.Variable');
    }
    const c = x.constraint;
    // `originalName` is what tfjs-layers' model.save() uses: stable when the same model is built
    // twice in one process (tfjs would suffix the second `fc/kernel` as `fc/kernel_1`).
    const name = x.originalName ?? x.name;
    return [{ name, variable, ...(c ? { constraint: (t: tf.Tensor) => c.apply(t) } : {}) }];
  }
  throw new InvalidArgumentError(
    fn,
    argument,
    x,
    'a tf.Variable, a tfjs-layers weight, { name, variable } or a model with trainableWeights',
  );
}

/**
 * Resolves any {@link VariablesInput} to an ordered list of uniquely named variables.
 * Throws when a name repeats (two variables would share one checkpoint entry) or the list is empty.
 */
export function namedVariables(
  input: VariablesInput,
  { fn = 'namedVariables', argument = 'variables', allowEmpty = false } = {},
): NamedVariable[] {
  let out: NamedVariable[];
  if (Array.isArray(input)) {
    out = (input as unknown[]).flatMap((x, i) => entry(fn, `${argument}[${i}]`, x));
  } else if (isModelLike(input)) {
    out = entry(fn, argument, input);
  } else if (input && typeof input === 'object') {
    out = Object.entries(input as Record<string, unknown>).map(([name, v]) => {
      if (!(v instanceof tf.Variable)) {
        throw new InvalidArgumentError(fn, `${argument}.${name}`, v, 'a tf.Variable');
      }
      return { name, variable: v };
    });
  } else {
    throw new InvalidArgumentError(fn, argument, input, 'variables (see VariablesInput)');
  }
  if (!allowEmpty && out.length === 0) {
    throw new InvalidArgumentError(fn, argument, input, 'at least one variable');
  }
  const seen = new Map<string, tf.Variable>();
  for (const { name, variable } of out) {
    const prev = seen.get(name);
    if (prev && prev !== variable) {
      throw new InvalidArgumentError(
        fn,
        argument,
        name,
        `unique variable names (${describeValue(name)} names two variables)`,
      );
    }
    seen.set(name, variable);
  }
  // The same variable listed twice (e.g. a shared layer) is one entry.
  return out.filter((v, i) => out.findIndex((w) => w.name === v.name) === i);
}

/** The non-trainable weights of a model (BatchNorm running statistics), named for checkpoints. */
export function modelState(model: ModelLike): NamedVariable[] {
  return (model.nonTrainableWeights ?? []).flatMap((w, i) =>
    entry('modelState', `model.nonTrainableWeights[${i}]`, w),
  );
}
