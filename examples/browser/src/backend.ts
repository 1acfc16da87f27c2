import * as tf from '@tensorflow/tfjs-core';
// tfjs-core's module entry registers no gradient functions (the `@tensorflow/tfjs` bundle does):
// training needs them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// The wasm binaries, emitted by Vite as assets; tfjs picks one by the browser's features.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

export type PageBackend = 'webgl' | 'wasm' | 'cpu';

export interface BackendInfo {
  backend: string;
  /** WebGL: float32 textures (else float16, and results drift by ~1e-3). */
  float32?: boolean;
  webglVersion?: number;
  renderer?: string;
}

/** Activates `name` (throws if it cannot start) and describes it. */
export async function selectBackend(name: PageBackend): Promise<BackendInfo> {
  if (!(await tf.setBackend(name))) throw new Error(`backend '${name}' failed to initialize`);
  await tf.ready();
  const info: BackendInfo = { backend: tf.getBackend() };
  if (name === 'webgl') {
    info.float32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
    info.webglVersion = tf.env().getNumber('WEBGL_VERSION');
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    info.renderer = gl
      ? String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER))
      : '';
  }
  return info;
}
