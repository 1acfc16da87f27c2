import * as tf from '@tensorflow/tfjs-core';
import { checkInteger, checkOneOf } from '@face/core';
import { BackendUnavailableError } from '../errors';
import { type GradientRegistration, registerGradients } from '../gradients/register-gradients';
import { registerWasmKernels } from '../wasm/register-kernels';
import { startWasm } from '../wasm/start';
import { type BackendLoaders, defaultLoaders } from './loaders';
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
   * wasm threads. Node: one per logical core by default (`os.availableParallelism()`), started
   * as emscripten pthreads on worker_threads; where they cannot start, one thread and `reason`
   * says why. Browsers: tfjs's default unless given; threads need a cross-origin isolated page.
   */
  threads?: number;
  /** Where the `.wasm` files are served from (browsers and bundlers): tfjs's `setWasmPaths`. */
  wasmPaths?: string | Record<string, string>;
  /**
   * `auto` passes over WebGL that renders in software (SwiftShader, llvmpipe: no GPU), where
   * wasm trains ~20x faster; true keeps it. An explicit `'webgl'` is always honoured.
   */
  softwareWebgl?: boolean;
  /**
   * `auto` passes over a WebGPU adapter that is a software fallback (SwiftShader); true keeps
   * it. An explicit `'webgpu'` takes any adapter.
   */
  softwareWebgpu?: boolean;
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
  webgpu:
    "WebGPU needs a browser with navigator.gpu and an adapter (Chrome/Edge 113+), and '@tensorflow/tfjs-backend-webgpu' installed (bundlers: pass loaders.webgpu)",
  webgl: 'WebGL needs a browser (or a worker with OffscreenCanvas) with a working GPU context',
  wasm: "Install '@tensorflow/tfjs-backend-wasm' and, in a browser, serve its .wasm files (option wasmPaths)",
  cpu: "Install '@tensorflow/tfjs-backend-cpu'",
};

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Picks and activates a TF.js backend, registering what training needs, and says what it chose
 * and why. `auto`: `tensorflow` when `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` can
 * be loaded (Node), in a browser `webgpu` then `webgl` (each only on a hardware GPU), otherwise
 * `wasm` with this package's kernels (threaded where possible), and `cpu` as the last resort. An explicit name is honoured or fails with `BackendUnavailableError`.
 */
export async function useBackend(
  choice: BackendChoice = 'auto',
  options: UseBackendOptions = {},
): Promise<BackendSelection> {
  checkOneOf('useBackend', 'choice', choice, ['auto', ...BACKENDS]);
  const threads =
    options.threads == null
      ? undefined
      : checkInteger('useBackend', 'options.threads', options.threads, { min: 1 });
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
  options: UseBackendOptions & { threads: number | undefined; auto: boolean },
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
    case 'webgpu': {
      const probe = await loaders.webgpuAdapter();
      if (!probe.adapter) throw new Error(`no WebGPU adapter: ${probe.reason}`);
      const a = probe.adapter;
      const name = [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || 'unnamed';
      const software = a.fallback || SOFTWARE_RENDERER.test(name);
      if (options.auto && !options.softwareWebgpu && software) {
        throw new Error(
          `the WebGPU adapter computes in software here (${name}), where wasm is faster; ask for 'webgpu' (or softwareWebgpu: true) to use it anyway`,
        );
      }
      await loaders.webgpu();
      if (!tf.findBackendFactory('webgpu')) {
        throw new Error(
          `'@tensorflow/tfjs-backend-webgpu' loaded but registered no 'webgpu' backend`,
        );
      }
      await setActive('webgpu');
      return { reason: `WebGPU adapter ${name}${software ? ' (software)' : ''}`, ...single };
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

/** Renderers and adapters that compute on the CPU: slower than wasm for our networks. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver/i;
