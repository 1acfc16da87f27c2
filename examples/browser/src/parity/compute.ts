import * as tf from '@tensorflow/tfjs-core';
import { namedVariables } from '@face/train';
import type { ParityCase } from './case';

/** What one backend computes on the parity case; plain numbers, so it crosses page and process. */
export interface ParityResult {
  backend: string;
  /** FNV-1a hashes of the float32 bits of the weights and the images: proof of equal inputs. */
  hashes: { weights: string; images: string };
  /** Embeddings in inference mode (running statistics), flattened [n, d]. */
  inference: number[];
  /** Embeddings in training mode (batch statistics), flattened [n, d]. */
  training: number[];
  /** ArcFace training logits (margin on the target class), flattened [n, classes]. */
  logits: number[];
  loss: number;
  /** Gradients of the loss: `input` (the images) and each trainable weight by name. */
  gradients: Record<string, number[]>;
  /** Why gradients are missing, when the backend cannot compute them. */
  gradientError?: string;
}

/** FNV-1a (32-bit) over the bytes of float32 arrays. */
export function fnv1a(arrays: Float32Array[]): string {
  let h = 0x811c9dc5;
  for (const a of arrays) {
    const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

const read = async (t: tf.Tensor) => Array.from(await t.data());

/**
 * Forward (inference and training mode), loss and gradients of the parity case on the current
 * backend. Inference runs first: the training pass then moves the running statistics, the same
 * way on every backend. With `gradients: false` only the forward passes and the loss run.
 */
export async function computeParity(
  pc: ParityCase,
  { gradients = true }: { gradients?: boolean } = {},
): Promise<ParityResult> {
  const { backbone, head, images, labels } = pc;
  const weights = await Promise.all(backbone.weights.map((w) => w.read().data()));
  const headWeight = head.getWeights();
  weights.push(await headWeight[0].data());
  tf.dispose(headWeight);
  const hashes = {
    weights: fnv1a(weights as Float32Array[]),
    images: fnv1a([(await images.data()) as Float32Array]),
  };

  const inferenceT = backbone.predict(images) as tf.Tensor2D;
  const inference = await read(inferenceT);
  inferenceT.dispose();

  const named = namedVariables([backbone, ...head.trainableVariables]);
  const input = tf.variable(images, true, `parity-input-${Math.random().toString(36).slice(2)}`);
  let trainingT: tf.Tensor | undefined;
  let logitsT: tf.Tensor | undefined;
  const lossOf = () => {
    const e = backbone.apply(input, { training: true }) as tf.Tensor2D;
    trainingT = tf.keep(e);
    logitsT = tf.keep(head.logits(e, labels));
    return head.loss(e, labels);
  };
  const result: ParityResult = {
    backend: tf.getBackend(),
    hashes,
    inference,
    training: [],
    logits: [],
    loss: NaN,
    gradients: {},
  };
  const forwardOnly = async () => {
    tf.dispose([trainingT, logitsT] as tf.Tensor[]);
    const value = tf.tidy(lossOf);
    result.loss = (await value.data())[0];
    value.dispose();
  };
  try {
    if (gradients) {
      const { value, grads } = tf.variableGrads(lossOf, [input, ...named.map((v) => v.variable)]);
      result.loss = (await value.data())[0];
      result.gradients.input = await read(grads[input.name]);
      for (const { name, variable } of named)
        result.gradients[name] = await read(grads[variable.name]);
      tf.dispose([value, ...Object.values(grads)]);
    } else await forwardOnly();
  } catch (err) {
    // A backend without some gradient kernel: keep its forward numbers, say why.
    result.gradientError = err instanceof Error ? err.message : String(err);
    result.gradients = {};
    await forwardOnly();
  } finally {
    input.dispose();
  }
  if (trainingT) result.training = await read(trainingT);
  if (logitsT) result.logits = await read(logitsT);
  tf.dispose([trainingT, logitsT] as tf.Tensor[]);
  return result;
}
