import * as tf from '@tensorflow/tfjs-core';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './heap';

type KernelFunc = tf.KernelConfig['kernelFunc'];

/** tfjs-backend-wasm's own kernels, captured before ours replace some of them. */
const baseKernels = new Map<string, KernelFunc>();

/** Remembers the wasm backend's current kernel for `name` (once), so ours can call it. */
export function captureBase(name: string): tf.KernelConfig | undefined {
  const config = tf.getKernel(name, 'wasm');
  if (config && !baseKernels.has(name) && !isOurs(config)) baseKernels.set(name, config.kernelFunc);
  return config;
}

const OURS = Symbol.for('@face/backends.kernel');
export const markOurs = <T extends object>(config: T): T => Object.assign(config, { [OURS]: true });
export const isOurs = (config: object): boolean => OURS in config;

/** Runs tfjs-backend-wasm's own kernel `name` (XNNPACK-backed where it has one). */
export function base(
  name: string,
  backend: WasmBackend,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const fn = baseKernels.get(name) ?? tf.getKernel(name, 'wasm')?.kernelFunc;
  if (!fn) throw new Error(`@face/backends: the wasm backend has no '${name}' kernel`);
  return fn({ inputs, backend: backend as unknown as tf.KernelBackend, attrs }) as TensorInfo;
}

/** a [B, M, K] x b [B, K, N] through the wasm backend's own (XNNPACK) BatchMatMul, no transposes. */
export const plainMatMul = (backend: WasmBackend, a: TensorInfo, b: TensorInfo): TensorInfo =>
  base('BatchMatMul', backend, { a, b }, { transposeA: false, transposeB: false });
