import * as tf from '@tensorflow/tfjs-core';

export const BACKENDS = ['tensorflow', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = 'auto' | BackendName;
export type Platform = 'node' | 'browser' | 'other';

/** Where we run, as tfjs-core sees it (a web worker counts as a browser). */
export function detectPlatform(): Platform {
  if (tf.env().getBool('IS_NODE')) return 'node';
  if (tf.env().getBool('IS_BROWSER')) return 'browser';
  return 'other';
}

/** The order `auto` tries backends in, per platform. */
export function autoOrder(platform: Platform): BackendName[] {
  if (platform === 'node') return ['tensorflow', 'wasm', 'cpu'];
  if (platform === 'browser') return ['webgl', 'wasm', 'cpu'];
  return ['wasm', 'cpu'];
}
