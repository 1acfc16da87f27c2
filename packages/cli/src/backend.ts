import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from './args';

export const BACKEND_CHOICES = ['auto', 'cpu', 'wasm', 'tensorflow', 'webgl'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/**
 * Selects the TF.js backend and registers gradients. The one place the CLI chooses a backend:
 * it delegates to `@face/backends`' `useBackend` once that package lands; until then `auto` is the
 * `cpu` backend (the only one that trains without native or wasm gradient kernels here).
 */
export async function selectBackend(
  choice: BackendChoice,
  log: (line: string) => void,
): Promise<string> {
  // tfjs-core's Node bundle has no gradient functions; the `@tensorflow/tfjs` bundle registers them.
  await import('@tensorflow/tfjs');
  const name = choice === 'auto' ? 'cpu' : choice;
  if (name === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
  else await import('@tensorflow/tfjs-backend-cpu');
  if (name !== 'cpu' && name !== 'wasm')
    throw new UsageError(
      `face: backend '${name}' is not available here (install it, or use --backend cpu)`,
    );
  if (!(await tf.setBackend(name)))
    throw new UsageError(`face: backend '${name}' failed to initialize`);
  await tf.ready();
  log(`backend: ${tf.getBackend()}${choice === 'auto' ? ' (auto)' : ''}`);
  return tf.getBackend();
}
