import * as tf from '@tensorflow/tfjs-core';
import { useBackend, type BackendSelection } from '@face/backends';
// The wasm binaries, emitted by Vite as assets; tfjs picks one by the browser's features.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

export type PageBackend = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface BackendInfo {
  backend: string;
  /** Why @face/backends chose it, and what `auto` passed over. */
  reason: string;
  skipped: { backend: string; reason: string }[];
  /** wasm threads (1 elsewhere). */
  threads: number;
  /** Served with COOP + COEP (vite.config.ts): what wasm threads need. */
  crossOriginIsolated: boolean;
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
    // An optional peer, imported by name here so that Vite bundles it.
    loaders: { webgpu: () => import('@tensorflow/tfjs-backend-webgpu') },
  });
  const info: BackendInfo = {
    backend: selection.backend,
    reason: selection.reason,
    skipped: selection.skipped,
    threads: selection.threads,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
  };
  if (selection.backend === 'webgl') {
    info.float32 = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED');
    info.webglVersion = tf.env().getNumber('WEBGL_VERSION');
    const gl = document.createElement('canvas').getContext('webgl2');
    const ext = gl?.getExtension('WEBGL_debug_renderer_info');
    info.renderer = gl
      ? String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER))
      : '';
  }
  if (selection.backend === 'webgpu') {
    // "WebGPU adapter google swiftshader (software)", from useBackend's reason.
    info.renderer = selection.reason.replace(/^WebGPU adapter /, '');
  }
  return info;
}
