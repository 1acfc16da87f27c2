import * as tf from '@tensorflow/tfjs-core';
import {
  checkBoolean,
  checkOptions,
  InvalidArgumentError,
  type JsonValue,
  ShapeError,
  type Stateful,
} from '@face/core';
import { type Labels, readLabels } from './labels';
import { checkReduction, type Reduction, REDUCTIONS } from './reduction';
import { checkMatrix } from './tensors';

/**
 * What every loss that holds tensors offers the training loop: the variables for the optimizer,
 * weights and JSON state for checkpoints (weights are tensors the caller owns and disposes; state
 * is plain JSON through @face/core's {@link Stateful}), the constructor options back, and disposal.
 * `setState` takes any JSON (it comes from disk; implementations may widen it to `unknown`) and
 * throws a typed error on a wrong shape.
 */
export interface StatefulLoss<Config, State extends JsonValue = JsonValue> extends Stateful {
  readonly trainableVariables: tf.Variable[];
  getConfig(): Config;
  getWeights(): tf.Tensor[];
  setWeights(weights: tf.Tensor[]): void;
  getState(): State;
  setState(state: JsonValue): void;
  dispose(): void;
}

/** `state` as a JSON object (not null, not an array), or a typed error naming `expected`. */
export function readStateObject(
  fn: string,
  state: unknown,
  expected: string,
): { [key: string]: JsonValue } {
  if (state === null || typeof state !== 'object' || Array.isArray(state))
    throw new InvalidArgumentError(fn, 'state', state, expected);
  return state as { [key: string]: JsonValue };
}

const used = new Map<string, number>();

/** A variable-name prefix unique in this process (tfjs rejects two variables with one name). */
export function uniqueName(base: string): string {
  const n = (used.get(base) ?? 0) + 1;
  used.set(base, n);
  return `${base}_${n}`;
}

/** Asserts `weights` are float32 tensors of exactly `shapes`, one each. */
export function checkWeights(
  fn: string,
  weights: unknown,
  shapes: readonly (readonly number[])[],
): asserts weights is tf.Tensor[] {
  if (!Array.isArray(weights) || weights.length !== shapes.length) {
    throw new InvalidArgumentError(fn, 'weights', weights, `an array of ${shapes.length} tensors`);
  }
  weights.forEach((w, i) => {
    if (!(w instanceof tf.Tensor)) {
      throw new InvalidArgumentError(fn, `weights[${i}]`, w, 'a tf.Tensor');
    }
    if (w.shape.join(',') !== shapes[i].join(',')) {
      throw new ShapeError(fn, `weights[${i}]`, w.shape, `shape [${shapes[i].join(', ')}]`);
    }
    if (w.dtype !== 'float32') {
      throw new InvalidArgumentError(fn, `weights[${i}].dtype`, w.dtype, "'float32'");
    }
  });
}

/** Copies `value` into `variable` (the caller keeps ownership of `value`). */
export function assignCopy(variable: tf.Variable, value: tf.Tensor): void {
  tf.tidy(() => variable.assign(tf.clone(value)));
}

/**
 * The arguments of a stateful loss's `loss(matrix, labels, { reduction, training })`, checked:
 * `matrix` [n, columns], one label in [0, numClasses) per row, the reduction (default 'mean')
 * and the training flag (default true: the loss updates its state).
 */
export function readStatefulLossArgs(
  fn: string,
  name: string,
  matrix: tf.Tensor2D,
  labels: Labels,
  options: { reduction?: Reduction; training?: boolean } | undefined,
  { columns, numClasses }: { columns: number; numClasses: number },
): { y: Int32Array; reduction: Reduction; training: boolean } {
  const opts = checkOptions(fn, options, ['reduction', 'training']);
  const reduction = checkReduction(fn, opts.reduction, REDUCTIONS, 'mean');
  const training = checkBoolean(fn, 'options.training', opts.training, true);
  checkMatrix(fn, name, matrix, { columns });
  const y = readLabels(fn, 'labels', labels, { numClasses, length: matrix.shape[0] });
  return { y, reduction, training };
}
