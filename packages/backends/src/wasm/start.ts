import * as tf from '@tensorflow/tfjs-core';
import type { WasmModule } from '../select/loaders';
import type { Platform } from '../select/platform';
import { withNodeThreads } from './node-threads';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** How long threaded initialization may take before we call it hung. */
const THREADS_INIT_MS = 60_000;

async function setActive(): Promise<void> {
  if (!(await tf.setBackend('wasm'))) throw new Error(`tf.setBackend('wasm') failed to initialize`);
  await tf.ready();
}

/**
 * Node's default: one thread per logical core (`os.availableParallelism()`), not tfjs's half of
 * them (meant for SMT siblings): pthreadpool runs work on the calling thread too, so N threads
 * keep N cores busy. On 2 quiet cores 2 threads trained 1.1-1.7x faster than 1; on cores shared
 * with other jobs they can be slower (bench/RESULTS.md, "wasm threads on by default").
 */
async function nodeDefaultThreads(): Promise<number> {
  const os = (await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:os' as string)) as {
    availableParallelism?: () => number;
    cpus(): unknown[];
  };
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

/**
 * Activates wasm with the requested threads (`undefined`: Node, one per core; browsers, tfjs's
 * own default) and says what happened. Where threads cannot start it falls back to one thread
 * and says why in the note.
 */
export async function startWasm(
  wasm: WasmModule,
  platform: Platform,
  requested: number | undefined,
): Promise<{ threads: number; note: string }> {
  if (tf.engine().registry.wasm != null) {
    // Threads are fixed when the backend first initializes.
    await setActive();
    const got = wasm.getThreadsCount();
    const note =
      requested != null && requested !== got
        ? `; ${requested} threads requested, but wasm was already started with ${got}`
        : '';
    return { threads: got, note: got > 1 ? `, ${got} threads${note}` : note };
  }
  let why = '';
  if (platform === 'node') {
    const threads = requested ?? (await nodeDefaultThreads());
    if (threads > 1) {
      wasm.setThreadsCount(threads);
      try {
        await withNodeThreads(threads, () => withTimeout(setActive(), THREADS_INIT_MS));
      } catch (err) {
        // A failed start leaves the backend factory registered: start again on one thread.
        wasm.setThreadsCount(1);
        await setActive();
        return { threads: 1, note: `; threads unavailable (${message(err)}), using 1` };
      }
    } else await setActive();
    return describe(wasm, threads, requested != null);
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const threads = requested ?? Math.max(1, nav?.hardwareConcurrency ?? 1);
  wasm.setThreadsCount(threads);
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (isolated === false) {
    why =
      '; 1 thread: the page is not cross-origin isolated (COOP/COEP headers), which wasm threads need';
  }
  await withCores(nav, threads, setActive);
  const got = wasm.getThreadsCount();
  if (got === 1 && threads > 1 && why) return { threads: got, note: why };
  return describe(wasm, threads, requested != null);
}

/**
 * tfjs-backend-wasm uses at most half the cores the browser reports: for the duration of its
 * start, report twice the threads wanted (emscripten reads navigator.hardwareConcurrency).
 */
async function withCores(
  nav: { hardwareConcurrency?: number } | undefined,
  threads: number,
  init: () => Promise<void>,
): Promise<void> {
  if (!nav || threads <= 1) return init();
  try {
    Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  } catch {
    return init(); // a navigator that refuses: tfjs's own cap applies
  }
  try {
    await init();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

function describe(
  wasm: WasmModule,
  wanted: number,
  explicit: boolean,
): { threads: number; note: string } {
  const got = wasm.getThreadsCount();
  if (got === wanted) return { threads: got, note: got > 1 ? `, ${got} threads` : '' };
  const asked = explicit ? 'requested' : 'wanted (one per core)';
  return { threads: got, note: `; ${wanted} threads ${asked}, got ${got}` };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`initialization did not finish in ${ms / 1000} s`)),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
