/**
 * How each backend's module is loaded. The bindings (`@tensorflow/tfjs-node*`) are never
 * dependencies: they are imported by a computed name, so bundlers leave them alone and a
 * missing one is a rejected promise, not a build error. Tests and exotic setups inject their own.
 */
export interface BackendLoaders {
  tfjsNodeGpu: () => Promise<unknown>;
  tfjsNode: () => Promise<unknown>;
  /**
   * `@tensorflow/tfjs-backend-webgpu`, an optional peer: imported by a computed name by default,
   * so bundlers do not fail where it is not installed. Bundled apps that use it pass
   * `() => import('@tensorflow/tfjs-backend-webgpu')`.
   */
  webgpu: () => Promise<unknown>;
  webgl: () => Promise<unknown>;
  wasm: () => Promise<WasmModule>;
  cpu: () => Promise<unknown>;
  /** The WebGL renderer's name (`UNMASKED_RENDERER_WEBGL`), or null where it cannot be read. */
  webglRenderer: () => string | null;
  /** The WebGPU adapter `navigator.gpu` offers, or why there is none. */
  webgpuAdapter: () => Promise<GpuAdapterInfo>;
}

/** What `requestAdapter()` gave: `null` and why, or the adapter's identity. */
export type GpuAdapterInfo =
  | { adapter: null; reason: string }
  | { adapter: { vendor: string; architecture: string; description: string; fallback: boolean } };

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
  webgpu: () => optional('@tensorflow/tfjs-backend-webgpu'),
  webgl: () => import('@tensorflow/tfjs-backend-webgl'),
  wasm: () => import('@tensorflow/tfjs-backend-wasm') as Promise<WasmModule>,
  cpu: () => import('@tensorflow/tfjs-backend-cpu'),
  webglRenderer,
  webgpuAdapter,
};

interface GpuLike {
  requestAdapter(): Promise<{
    isFallbackAdapter?: boolean;
    info?: {
      vendor?: string;
      architecture?: string;
      description?: string;
      isFallbackAdapter?: boolean;
    };
  } | null>;
}

/** Asks `navigator.gpu` for its default adapter, as tfjs-backend-webgpu will. */
async function webgpuAdapter(): Promise<GpuAdapterInfo> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (!gpu) {
    const secure = (globalThis as { isSecureContext?: boolean }).isSecureContext;
    return {
      adapter: null,
      reason: `navigator.gpu is missing${secure === false ? ' (not a secure context: serve the page over https or from localhost)' : ''}`,
    };
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { adapter: null, reason: 'navigator.gpu.requestAdapter() returned null' };
  const info = adapter.info ?? {};
  return {
    adapter: {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      description: info.description ?? '',
      // Chrome moved the flag from the adapter to adapter.info (and dropped the old one).
      fallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter),
    },
  };
}

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
