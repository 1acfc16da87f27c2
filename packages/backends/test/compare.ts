import * as tf from '@tensorflow/tfjs-core';
import { type Rng } from '@face/core';
import { maxRelativeError } from '@face/test-support';
import { useBackend } from '@face/backends';

/** Seeded normal values for a shape. */
export function randn(rng: Rng, shape: number[]): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
}

/** Makes sure both backends are registered and usable in this process. */
export async function bothBackends(): Promise<void> {
  const active = tf.getBackend();
  await useBackend('wasm');
  await useBackend('cpu');
  await tf.setBackend(active ?? 'cpu');
}

/**
 * Runs `fn` on cpu (the reference) and on wasm, and returns max |wasm - cpu| / max |cpu| over
 * all outputs. `fn` must build its inputs itself (from plain arrays), so each backend has its own.
 */
export async function wasmVsCpu(fn: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const active = tf.getBackend();
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const out = tf.tidy(fn);
    const list = Array.isArray(out) ? out : [out];
    const values = list.map((t) => ({ shape: t.shape, data: t.dataSync().slice() }));
    tf.dispose(list);
    return values;
  };
  const ref = await run('cpu');
  const got = await run('wasm');
  await tf.setBackend(active);
  let worst = 0;
  ref.forEach((r, i) => {
    if (r.shape.join() !== got[i].shape.join()) {
      throw new Error(`output ${i}: wasm shape [${got[i].shape}] != cpu [${r.shape}]`);
    }
    worst = Math.max(worst, maxRelativeError(got[i].data, r.data));
  });
  return worst;
}
