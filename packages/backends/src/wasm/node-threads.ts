/**
 * Multithreaded wasm in Node (experimental). tfjs-backend-wasm turns threads off in Node: its
 * flag says no, it hands the emscripten pthread workers a Blob URL (Node's worker_threads cannot
 * start from one) and it caps threads at half the reported cores. Without patching
 * node_modules, for the duration of the backend's initialization we
 * - set the WASM_HAS_MULTITHREAD_SUPPORT flag,
 * - give emscripten (which takes `require('worker_threads').Worker` in Node) a Worker class that
 *   starts tfjs's own worker script from source (`eval: true`) and passes the main script as
 *   text instead of a Blob,
 * - report enough cores for the requested thread count.
 * The caller checks the thread count actually obtained and falls back to one thread otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';

type NodeRequire = (id: string) => unknown;
interface PThreadState {
  runningWorkers?: { unref?(): void }[];
  unusedWorkers?: { unref?(): void }[];
}
interface WorkerThreads {
  Worker: new (
    filename: string,
    options?: Record<string, unknown>,
  ) => {
    postMessage(message: unknown, transfer?: unknown): void;
  };
}

const nodeImport = (name: string): Promise<unknown> =>
  import(/* webpackIgnore: true */ /* @vite-ignore */ name);

/** `require` resolving from this package (ESM: import.meta.url; CJS: __filename). */
async function requireHere(): Promise<NodeRequire> {
  const { createRequire } = (await nodeImport('node:module')) as {
    createRequire(from: string): NodeRequire & { resolve(id: string): string };
  };
  const from = typeof __filename === 'string' ? __filename : import.meta.url;
  return createRequire(from);
}

const MAIN_SCRIPT = '\0@face/backends:wasm-main-script';

/**
 * Runs `init` (the backend's initialization) with the shims in place; restores what it
 * changed, except the Worker class emscripten has already captured for its thread pool.
 */
export async function withNodeThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const require = await requireHere();
  const dir = (require as unknown as { resolve(id: string): string })
    .resolve('@tensorflow/tfjs-backend-wasm/package.json')
    .replace(/package\.json$/, '');
  const { wasmWorkerContents } = require(
    `${dir}wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`,
  ) as {
    wasmWorkerContents: string;
  };
  const factory = require(`${dir}wasm-out/tfjs-backend-wasm-threaded-simd.js`) as {
    default?: () => unknown;
  };
  const mainScript = `var WasmBackendModuleThreadedSimd = ${String(factory.default ?? factory)}`;
  // The worker script is kept in a template literal upstream: its "\n" escapes became newlines
  // inside string literals, which tfjs undoes the same way before making its Blob.
  const bootstrap =
    wasmWorkerContents.replace(/\n/g, '\\n') +
    `;(function(){var load=global.importScripts;global.importScripts=function(f){` +
    `if(f===${JSON.stringify(MAIN_SCRIPT)}){(0,eval)(require('worker_threads').workerData.mainScript);return}` +
    `return load(f)}})();`;

  const workerThreads = require('worker_threads') as WorkerThreads;
  const os = require('os') as { cpus(): unknown[] };
  const RealWorker = workerThreads.Worker;
  class PthreadWorker extends RealWorker {
    constructor(_filename: string, options: Record<string, unknown> = {}) {
      super(bootstrap, { ...options, eval: true, workerData: { mainScript } });
    }
    override postMessage(message: unknown, transfer?: unknown): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown };
      if (m && m.cmd === 'load' && typeof m.urlOrBlob !== 'string') {
        message = { ...m, urlOrBlob: MAIN_SCRIPT };
      }
      super.postMessage(message, transfer);
    }
  }
  const cpus = os.cpus;
  const flag = 'WASM_HAS_MULTITHREAD_SUPPORT';
  workerThreads.Worker = PthreadWorker;
  // tfjs-backend-wasm uses at most half the logical cores it is told about.
  os.cpus = () => {
    const real = cpus.call(os);
    return real.length >= 2 * threads
      ? real
      : Array.from({ length: 2 * threads }, (_, i) => real[i % real.length]);
  };
  tf.env().set(flag, true);
  try {
    const result = await init();
    // pthreadpool's threads are started once and then wait for work; emscripten keeps a
    // reference on each running worker, which would keep Node from ever exiting.
    const module = (tf.engine().registry.wasm as unknown as { wasm?: { PThread?: PThreadState } })
      ?.wasm;
    const pool = module?.PThread;
    for (const worker of [...(pool?.runningWorkers ?? []), ...(pool?.unusedWorkers ?? [])]) {
      worker.unref?.();
    }
    return result;
  } finally {
    workerThreads.Worker = RealWorker;
    os.cpus = cpus;
    tf.env().set(flag, false);
  }
}
