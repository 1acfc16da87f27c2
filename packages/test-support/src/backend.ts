import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export type TestBackend = 'cpu' | 'wasm';

let gradientsReady: Promise<void> | undefined;

/**
 * Gradients: tfjs-core's Node bundle ships without gradient functions; the `@tensorflow/tfjs`
 * bundle registers them into the shared tfjs-core instance. Tests load it once.
 */
function ensureGradients(): Promise<void> {
  gradientsReady ??= import('@tensorflow/tfjs').then(() => undefined);
  return gradientsReady;
}

/** Selects the backend tests run on: `FACE_TEST_BACKEND` (cpu by default) or the argument. */
export async function setTestBackend(
  name: TestBackend = (process.env.FACE_TEST_BACKEND as TestBackend | undefined) ?? 'cpu',
): Promise<string> {
  await ensureGradients();
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else if (name !== 'cpu')
    throw new Error(`setTestBackend: name must be 'cpu' or 'wasm', got '${String(name)}'`);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`setTestBackend: backend '${name}' failed to initialize`);
  await tf.ready();
  return tf.getBackend();
}
