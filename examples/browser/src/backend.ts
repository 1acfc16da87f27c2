import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendSelection } from '@face/backends';
// The wasm binaries, emitted by Vite as assets; tfjs picks one by the browser's features.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export type PageBackend = 'auto' | 'webgl' | 'wasm' | 'cpu';

export interface BackendInfo {
  backend: string;
  /** Why @face/backends chose it. */
  reason: string;
  /** WebGL: float32 textures (else float16, and results drift by ~1e-3). */
  float32?: boolean;
  webglVersion?: number;
  renderer?: string;
}

/**
 * Activates a backend with what training needs (tfjs-core's gradients; on wasm the gradient
 * kernels tfjs-backend-wasm lacks), through `useBackend`, and describes it.
 */
export async function selectBackend(choice: PageBackend): Promise<BackendInfo> {
  const selection: BackendSelection = await useBackend(choice, {
    wasmPaths: {
      'tfjs-backend-wasm.wasm': wasmPlain,
      'tfjs-backend-wasm-simd.wasm': wasmSimd,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
    },
  });
  const info: BackendInfo = { backend: selection.backend, reason: selection.reason };
  if (selection.backend === 'webgl') {
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
