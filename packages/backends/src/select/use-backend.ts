import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkOneOf } from '@face/core';
import { BackendUnavailableError } from '../errors';
import { type GradientRegistration, registerGradients } from '../gradients/register-gradients';
import { withNodeThreads } from '../wasm/node-threads';
import { registerWasmKernels } from '../wasm/register-kernels';
import { type BackendLoaders, type WasmModule, defaultLoaders } from './loaders';
import {
  BACKENDS,
  type BackendChoice,
  type BackendName,
  type Platform,
  autoOrder,
  detectPlatform,
} from './platform';

export interface UseBackendOptions {
  /** Print the choice and why: `true` for console.info, or a function given the line. */
  log?: boolean | ((line: string) => void);
  /** Register tfjs-core's gradients and the faster ones (default true). See `registerGradients`. */
  gradients?: boolean;
  /** On wasm, register this package's kernels (default true). See `registerWasmKernels`. */
  wasmKernels?: boolean;
  /**
   * wasm threads. Browsers: passed to tfjs (threads need a cross-origin isolated page).
   * Node: experimental, 1 (default) keeps wasm single-threaded; more starts emscripten pthreads
   * through worker_threads, and falls back to one thread if that fails (see `reason`).
   */
  threads?: number;
  /** Where the `.wasm` files are served from (browsers and bundlers): tfjs's `setWasmPaths`. */
  wasmPaths?: string | Record<string, string>;
  /**
   * `auto` passes over WebGL that renders in software (SwiftShader, llvmpipe: no GPU), where
   * wasm trains ~20x faster; true keeps it. An explicit `'webgl'` is always honoured.
   */
  softwareWebgl?: boolean;
  /** Override how backend modules are loaded (bundlers, tests). */
  loaders?: Partial<BackendLoaders>;
  /** Override platform detection (tests). */
  platform?: Platform;
}

export interface BackendSelection {
  /** The backend now active: `tf.getBackend()`. */
  backend: BackendName;
  requested: BackendChoice;
  /** Why this backend. */
  reason: string;
  /** Backends `auto` tried first, and why each was passed over. */
  skipped: { backend: BackendName; reason: string }[];
  /** Gradient registration, or null with `gradients: false`. */
  gradients: GradientRegistration | null;
  /** Kernels registered for wasm by this call (empty otherwise, or when already registered). */
  kernels: string[];
  /** Threads the backend computes with (1 but for wasm with threads). */
  threads: number;
}

const HINTS: Record<BackendName, string> = {
  tensorflow:
    "Install '@tensorflow/tfjs-node' (or '-gpu') in the app: it downloads a native library at install time",
  webgl: 'WebGL needs a browser (or a worker with OffscreenCanvas) with a working GPU context',
  wasm: "Install '@tensorflow/tfjs-backend-wasm' and, in a browser, serve its .wasm files (option wasmPaths)",
  cpu: "Install '@tensorflow/tfjs-backend-cpu'",
};

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Picks and activates a TF.js backend, registering what training needs, and says what it chose
 * and why. `auto`: `tensorflow` when `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` can
 * be loaded (Node), `webgl` in a browser, otherwise `wasm` with this package's kernels, and
 * `cpu` as the last resort. An explicit name is honoured or fails with `BackendUnavailableError`.
 */
export async function useBackend(
  choice: BackendChoice = 'auto',
  options: UseBackendOptions = {},
): Promise<BackendSelection> {
  checkOneOf('useBackend', 'choice', choice, ['auto', ...BACKENDS]);
  const threads = checkInteger('useBackend', 'options.threads', options.threads ?? 1, { min: 1 });
  const loaders: BackendLoaders = { ...defaultLoaders, ...options.loaders };
  const platform = options.platform ?? detectPlatform();
  const gradients = options.gradients === false ? null : registerGradients();

  const skipped: BackendSelection['skipped'] = [];
  const candidates = choice === 'auto' ? autoOrder(platform) : [choice];
  for (const backend of candidates) {
    let outcome: { reason: string; kernels: string[]; threads: number };
    try {
      outcome = await activate(backend, platform, loaders, {
        ...options,
        threads,
        auto: choice === 'auto',
      });
    } catch (err) {
      const reason = message(err);
      if (choice !== 'auto') throw new BackendUnavailableError(backend, reason, HINTS[backend]);
      skipped.push({ backend, reason });
      continue;
    }
    const selection: BackendSelection = {
      backend,
      requested: choice,
      reason: choice === 'auto' ? `${outcome.reason} (auto on ${platform})` : outcome.reason,
      skipped,
      gradients,
      kernels: outcome.kernels,
      threads: outcome.threads,
    };
    report(selection, options.log);
    return selection;
  }
  const tried = skipped.map((s) => `${s.backend}: ${s.reason}`).join('; ');
  throw new BackendUnavailableError('cpu', `no backend could be activated (${tried})`, HINTS.cpu);
}

function report(s: BackendSelection, log: UseBackendOptions['log']): void {
  if (!log) return;
  const passed = s.skipped.length
    ? `; passed over ${s.skipped.map((k) => `${k.backend} (${k.reason})`).join(', ')}`
    : '';
  const extra =
    s.backend === 'wasm' ? `, ${s.threads} thread(s), ${s.kernels.length} kernels added` : '';
  const line = `@face/backends: using ${s.backend}${extra}: ${s.reason}${passed}`;
  if (typeof log === 'function') log(line);
  else console.info(line);
}

async function setActive(name: string): Promise<void> {
  if (!(await tf.setBackend(name)))
    throw new Error(`tf.setBackend('${name}') failed to initialize`);
  await tf.ready();
}

async function activate(
  backend: BackendName,
  platform: Platform,
  loaders: BackendLoaders,
  options: UseBackendOptions & { threads: number; auto: boolean },
): Promise<{ reason: string; kernels: string[]; threads: number }> {
  const single = { kernels: [] as string[], threads: 1 };
  switch (backend) {
    case 'tensorflow': {
      if (platform !== 'node') throw new Error(`tfjs-node runs in Node only, this is ${platform}`);
      let loaded = '';
      const failures: string[] = [];
      for (const [pkg, load] of [
        ['@tensorflow/tfjs-node-gpu', loaders.tfjsNodeGpu],
        ['@tensorflow/tfjs-node', loaders.tfjsNode],
      ] as const) {
        try {
          await load();
          loaded = pkg;
          break;
        } catch (err) {
          const code = (err as { code?: string }).code;
          const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
          failures.push(
            `${pkg} ${notFound ? 'not installed' : `failed: ${message(err).split('\n')[0]}`}`,
          );
        }
      }
      if (!loaded) throw new Error(`cannot load the native bindings (${failures.join(', ')})`);
      if (!tf.findBackendFactory('tensorflow')) {
        throw new Error(
          `${loaded} loaded but registered no 'tensorflow' backend with this tfjs-core`,
        );
      }
      await setActive('tensorflow');
      return { reason: `${loaded} is installed (native TensorFlow)`, ...single };
    }
    case 'webgl': {
      await loaders.webgl();
      if (options.auto && !options.softwareWebgl) {
        const renderer = loaders.webglRenderer();
        if (renderer && SOFTWARE_RENDERER.test(renderer)) {
          throw new Error(
            `WebGL renders in software here (${renderer}), where wasm is faster; ask for 'webgl' (or softwareWebgl: true) to use it anyway`,
          );
        }
      }
      await setActive('webgl');
      return { reason: 'WebGL is available', ...single };
    }
    case 'wasm': {
      const wasm = await loaders.wasm();
      if (options.wasmPaths != null && tf.engine().registry.wasm == null) {
        wasm.setWasmPaths(options.wasmPaths);
      }
      const kernels = options.wasmKernels === false ? [] : registerWasmKernels();
      const { threads, note } = await startWasm(wasm, platform, options.threads);
      return {
        reason: `WebAssembly (XNNPACK) with gradient kernels for training${note}`,
        kernels,
        threads,
      };
    }
    case 'cpu': {
      await loaders.cpu();
      await setActive('cpu');
      return { reason: 'plain JavaScript backend, always available (slow)', ...single };
    }
  }
}

/** Renderers that draw on the CPU: WebGL through them is slower than wasm for our networks. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver/i;

/** How long threaded initialization may take before we call it hung. */
const THREADS_INIT_MS = 60_000;

/** Activates wasm with the requested threads where possible; says what happened. */
async function startWasm(
  wasm: WasmModule,
  platform: Platform,
  threads: number,
): Promise<{ threads: number; note: string }> {
  const initialized = tf.engine().registry.wasm != null;
  if (threads > 1 && !initialized && platform === 'node') {
    wasm.setThreadsCount(threads);
    try {
      await withNodeThreads(threads, () => withTimeout(setActive('wasm'), THREADS_INIT_MS));
    } catch (err) {
      // A failed start leaves the backend factory registered: start again on one thread.
      wasm.setThreadsCount(1);
      await setActive('wasm');
      return { threads: 1, note: `; threads unavailable (${message(err)}), using 1` };
    }
  } else {
    if (threads > 1 && !initialized) wasm.setThreadsCount(threads);
    await setActive('wasm');
  }
  const got = wasm.getThreadsCount();
  const note =
    threads === 1
      ? ''
      : got === threads
        ? `, ${got} threads`
        : `; ${threads} threads requested, got ${got}`;
  return { threads: got, note };
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
