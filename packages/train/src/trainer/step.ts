import * as tf from '@tensorflow/tfjs-core';
import { explainTfjsError, InvalidArgumentError } from '@face/core';
import { clipGradNorm, clipGradValue } from '../optim/clip';
import type { LossFn, StepContext } from './trainer';

/**
 * The parts of one training step that need no trainer state: forward + loss with gradients,
 * clipping, and reading the step's numbers back. Every tensor they make is pushed onto the
 * step's {@link StepTensors}, which the trainer disposes in one place when the step ends
 * (whether it applied, skipped, stopped or threw).
 */
export interface StepTensors {
  /** Loss, gradients and clipped gradients, disposed at the end of the step. */
  owned: tf.Tensor[];
  /** Metric tensors the loss function returned, kept out of variableGrads' tidy until read back. */
  metricTensors: Record<string, tf.Tensor>;
  /** Metrics the loss function returned as numbers, then the tensors' values once read. */
  metrics: Record<string, number>;
}

export const emptyStepTensors = (): StepTensors => ({ owned: [], metricTensors: {}, metrics: {} });

export function disposeStepTensors(t: StepTensors): void {
  tf.dispose(t.owned);
  tf.dispose(Object.values(t.metricTensors));
}

/**
 * `tf.variableGrads`, with TF.js's set-up errors ("Kernel 'Conv2DBackpropFilter' not registered
 * for backend 'wasm'") turned into a `BackendSetupError` that names @face/backends.
 */
function gradientsOf(f: () => tf.Scalar, variables: tf.Variable[]) {
  try {
    return tf.variableGrads(f, variables);
  } catch (err) {
    throw explainTfjsError(err, 'Trainer: a training step');
  }
}

/**
 * Runs the loss function under `tf.variableGrads`: the loss and the gradient of every variable
 * that has one (a variable the loss does not reach gets none, and the optimizer leaves it alone).
 */
export function forwardAndGradients<B>(
  lossFn: LossFn<B>,
  batch: B,
  context: StepContext,
  variables: tf.Variable[],
  t: StepTensors,
): { value: tf.Scalar; grads: Record<string, tf.Tensor> } {
  const { value, grads } = gradientsOf(() => {
    const out = lossFn(batch, context);
    const loss = out instanceof tf.Tensor ? out : out?.loss;
    if (!(loss instanceof tf.Tensor) || loss.rank !== 0) {
      throw new InvalidArgumentError(
        'Trainer',
        'lossFn',
        loss,
        'to return a scalar tensor or { loss: scalar, metrics }',
      );
    }
    if (!(out instanceof tf.Tensor) && out.metrics) {
      for (const [k, m] of Object.entries(out.metrics)) {
        if (m instanceof tf.Tensor) t.metricTensors[k] = tf.keep(m);
        else t.metrics[k] = m;
      }
    }
    return loss as tf.Scalar;
  }, variables);
  t.owned.push(value);
  const present: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) {
    if (!g) continue;
    present[k] = g;
    t.owned.push(g);
  }
  return { value, grads: present };
}

/**
 * Clips by global norm, then by value (the order `TrainerOptions` documents), and returns the
 * norm before clipping so that the logs and the NaN guard see how large the gradient really was.
 */
export function clipGradients(
  grads: Record<string, tf.Tensor>,
  clipNorm: { maxNorm: number; normType?: 1 | 2 | typeof Infinity } | undefined,
  clipValue: number | undefined,
  t: StepTensors,
): { applied: Record<string, tf.Tensor>; gradNorm: tf.Scalar | undefined } {
  let applied = grads;
  let gradNorm: tf.Scalar | undefined;
  if (clipNorm) {
    const r = clipGradNorm(applied, clipNorm.maxNorm, { normType: clipNorm.normType });
    applied = r.grads;
    gradNorm = r.totalNorm;
    t.owned.push(...Object.values(r.grads), r.totalNorm);
  }
  if (clipValue !== undefined) {
    applied = clipGradValue(applied, clipValue);
    t.owned.push(...Object.values(applied));
  }
  return { applied, gradNorm };
}

/**
 * Reads the loss, the gradient norm (when clipping computed one) and the metric tensors back in
 * one round trip: callbacks decide on numbers, and one await per value would stall the backend.
 */
export async function readStepValues(
  value: tf.Scalar,
  gradNorm: tf.Scalar | undefined,
  t: StepTensors,
): Promise<{ loss: number; gradNorm: number | undefined }> {
  const names = Object.keys(t.metricTensors);
  const [lossData, normData, ...metricData] = await Promise.all([
    value.data(),
    gradNorm?.data(),
    ...names.map((k) => t.metricTensors[k].data()),
  ]);
  names.forEach((k, i) => (t.metrics[k] = metricData[i]![0]));
  return { loss: lossData[0], gradNorm: normData ? normData[0] : undefined };
}
