/**
 * How each backend's module is loaded. The bindings (`@tensorflow/tfjs-node*`) are never
 * dependencies: they are imported by a computed name, so bundlers leave them alone and a
 * missing one is a rejected promise, not a build error. Tests and exotic setups inject their own.
 */
export interface BackendLoaders {
  tfjsNodeGpu: () => Promise<unknown>;
  tfjsNode: () => Promise<unknown>;
  webgl: () => Promise<unknown>;
  wasm: () => Promise<WasmModule>;
  cpu: () => Promise<unknown>;
  /** The WebGL renderer's name (`UNMASKED_RENDERER_WEBGL`), or null where it cannot be read. */
  webglRenderer: () => string | null;
}

/** What we use of `@tensorflow/tfjs-backend-wasm`'s exports. */
export interface WasmModule {
  setWasmPaths(prefixOrFileMap: string | Record<string, string>, usePlatformFetch?: boolean): void;
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
}

const optional = (name: string): Promise<unknown> =>
  import(/* webpackIgnore: true */ /* @vite-ignore */ name);

export const defaultLoaders: BackendLoaders = {
  tfjsNodeGpu: () => optional('@tensorflow/tfjs-node-gpu'),
  tfjsNode: () => optional('@tensorflow/tfjs-node'),
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  wasm: () => import('@tensorflow/tfjs-backend-wasm') as Promise<WasmModule>,
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
  webglRenderer,
};

/** Reads the renderer from a throwaway WebGL context (pages and workers with OffscreenCanvas). */
function webglRenderer(): string | null {
  try {
    const canvas =
      typeof OffscreenCanvas !== 'undefined'
        ? new OffscreenCanvas(1, 1)
        : typeof document !== 'undefined'
          ? document.createElement('canvas')
          : null;
    const gl = (canvas?.getContext('webgl2') ?? canvas?.getContext('webgl')) as
      WebGLRenderingContext | null | undefined;
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) as unknown;
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}
