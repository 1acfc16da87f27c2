import * as tf from '@tensorflow/tfjs-core';

export const BACKENDS = ['tensorflow', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = 'auto' | BackendName;
export type Platform = 'node' | 'browser' | 'other';

/** Where we run, as tfjs-core sees it (a web worker counts as a browser). */
export function detectPlatform(): Platform {
  if (tf.env().getBool('IS_NODE')) return 'node';
  if (tf.env().getBool('IS_BROWSER')) return 'browser';
  return 'other';
}

/**
 * The order `auto` tries backends in, per platform: native TensorFlow, then the GPU (WebGPU
 * before WebGL, both passed over when they would run in software), then threaded SIMD wasm.
 */
export function autoOrder(platform: Platform): BackendName[] {
  if (platform === 'node') return ['tensorflow', 'wasm', 'cpu'];
  if (platform === 'browser') return ['webgpu', 'webgl', 'wasm', 'cpu'];
  return ['wasm', 'cpu'];
}
