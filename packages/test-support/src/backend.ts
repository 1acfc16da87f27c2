import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@face/backends';

export type TestBackend = 'cpu' | 'wasm';

// @face/backends is resolved like every `@face/*` import in tests (vitest alias, tsconfig
// paths) and not declared as a dependency: @face/core's tests use this package, and
// @face/backends depends on @face/core, so declaring it would make a build cycle.

/**
 * Selects the backend tests run on: `FACE_TEST_BACKEND` (cpu by default) or the argument,
 * through @face/backends' `useBackend`, so tests train the way users do: tfjs-core's gradients
 * registered by @face/backends (no `@tensorflow/tfjs`), and on wasm its training kernels.
 */
export async function setTestBackend(
  name: TestBackend = (process.env.FACE_TEST_BACKEND as TestBackend | undefined) ?? 'cpu',
): Promise<string> {
  if (name !== 'cpu' && name !== 'wasm') {
    throw new Error(`setTestBackend: name must be 'cpu' or 'wasm', got '${String(name)}'`);
  }
  await useBackend(name);
  return tf.getBackend();
}
