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
};
