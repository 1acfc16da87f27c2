import * as tf from '@tensorflow/tfjs-core';
import { FaceError } from '@face/core';
import { captureBase, isOurs, markOurs } from './base';
import { wasmKernels } from './kernels';

/**
 * Registers, for the `wasm` backend, the kernels training needs that tfjs-backend-wasm lacks,
 * and faster versions of some it has (each calls the original for the cases it does not
 * improve). Idempotent. Works before or after the backend initializes: a replacement keeps the
 * original's setup function, which binds the original's wasm entry point.
 * Returns the kernel names registered by this call.
 */
export function registerWasmKernels(): string[] {
  if (!tf.getKernel('Conv2D', 'wasm')) {
    // Registering first would let the backend's own registration overwrite the replacements.
    throw new FaceError(
      "registerWasmKernels: the wasm backend's kernels are not registered yet: import " +
        "'@tensorflow/tfjs-backend-wasm' first (useBackend('wasm') does)",
    );
  }
  const done: string[] = [];
  for (const { kernelName, kernelFunc } of wasmKernels) {
    const existing = captureBase(kernelName);
    if (existing && isOurs(existing)) continue;
    if (existing) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel(
      markOurs({
        kernelName,
        backendName: 'wasm',
        kernelFunc,
        setupFunc: existing?.setupFunc,
        disposeFunc: existing?.disposeFunc,
      }),
    );
    done.push(kernelName);
  }
  return done;
}

/** Names of the kernels `registerWasmKernels` adds (missing from wasm) and replaces (faster). */
export function wasmKernelNames(): { added: string[]; replaced: string[] } {
  return {
    added: wasmKernels.filter((k) => !k.replaces).map((k) => k.kernelName),
    replaced: wasmKernels.filter((k) => k.replaces).map((k) => k.kernelName),
  };
}
