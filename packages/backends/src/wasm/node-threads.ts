/**
 * Multithreaded wasm in Node. tfjs-backend-wasm turns threads off in Node: its flag says no, it
 * hands emscripten's pthread workers a Blob URL (Node's worker_threads cannot start from one)
 * and it uses at most half the cores it is told about. Without patching node_modules, for the
 * duration of the backend's initialization we
 * - set the WASM_HAS_MULTITHREAD_SUPPORT flag,
 * - give emscripten (which takes `require('worker_threads').Worker` in Node when its factory
 *   runs, and keeps it for every later thread) a Worker class that starts our own worker file,
 *   `pthread-worker.cjs`, and tells it to read tfjs's threaded main script from its file,
 * - report enough cores for the requested thread count.
 * The caller checks the thread count actually obtained and falls back to one thread otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';

type NodeRequire = ((id: string) => unknown) & { resolve(id: string): string };
interface PThreadState {
  runningWorkers?: { unref?(): void }[];
  unusedWorkers?: { unref?(): void }[];
}
interface WorkerThreads {
  Worker: new (
    filename: string | URL,
    options?: Record<string, unknown>,
  ) => {
    postMessage(message: unknown, transfer?: unknown): void;
  };
}

const nodeImport = (name: string): Promise<unknown> =>
  import(/* webpackIgnore: true */ /* @vite-ignore */ name);

/** This module's own URL (ESM: import.meta.url; the CJS build: __filename). */
function hereUrl(url: { pathToFileURL(path: string): URL }): string {
  return typeof __filename === 'string' ? url.pathToFileURL(__filename).href : import.meta.url;
}

/** The files a threaded start needs, or why they cannot be found. */
export interface ThreadFiles {
  /** Our worker script: next to this module in src/ and in the built dist/. */
  worker: string;
  /** tfjs's module exporting emscripten's worker script as a string. */
  tfjsWorker: string;
  /** tfjs's threaded SIMD main script, which each pthread evaluates from its file. */
  mainScript: string;
}

async function threadFiles(): Promise<{ files: ThreadFiles; require: NodeRequire }> {
  const { createRequire } = (await nodeImport('node:module')) as {
    createRequire(from: string): NodeRequire;
  };
  const url = (await nodeImport('node:url')) as {
    pathToFileURL(path: string): URL;
    fileURLToPath(url: string | URL): string;
  };
  const { existsSync } = (await nodeImport('node:fs')) as { existsSync(p: string): boolean };
  const here = hereUrl(url);
  const require = createRequire(here);
  const dir = require
    .resolve('@tensorflow/tfjs-backend-wasm/package.json')
    .replace(/package\.json$/, '');
  const files: ThreadFiles = {
    worker: url.fileURLToPath(new URL('./pthread-worker.cjs', here)),
    tfjsWorker: `${dir}wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`,
    mainScript: `${dir}wasm-out/tfjs-backend-wasm-threaded-simd.js`,
  };
  for (const [what, path] of Object.entries(files)) {
    if (!existsSync(path)) {
      throw new Error(
        `the ${what} script ${path} is missing (a bundle that left out @face/backends's dist/pthread-worker.cjs, or an incomplete tfjs-backend-wasm)`,
      );
    }
  }
  return { files, require };
}

/**
 * Runs `init` (the backend's initialization) with the shims in place; restores what it
 * changed, except the Worker class emscripten has already captured for its thread pool.
 */
export async function withNodeThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const { files, require } = await threadFiles();
  const workerThreads = require('node:worker_threads') as WorkerThreads;
  const os = require('node:os') as { cpus(): unknown[] };
  const RealWorker = workerThreads.Worker;
  class PthreadWorker extends RealWorker {
    constructor(_blobUrl: string | URL, options: Record<string, unknown> = {}) {
      super(files.worker, { ...options, workerData: { tfjsWorker: files.tfjsWorker } });
    }
    override postMessage(message: unknown, transfer?: unknown): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown };
      if (m && m.cmd === 'load' && typeof m.urlOrBlob !== 'string') {
        message = { ...m, urlOrBlob: files.mainScript };
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
