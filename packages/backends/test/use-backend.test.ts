import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { FaceError, InvalidArgumentError } from '@face/core';
import {
  BackendUnavailableError,
  registerWasmKernels,
  useBackend,
  wasmKernelNames,
} from '@face/backends';

const missing = (name: string) => () => Promise.reject(new Error(`Cannot find module '${name}'`));
const noBindings = {
  tfjsNodeGpu: missing('@tensorflow/tfjs-node-gpu'),
  tfjsNode: missing('@tensorflow/tfjs-node'),
};
/** A browser without WebGPU (what Node 20 is, too: no navigator.gpu). */
const noGpu = { webgpuAdapter: async () => ({ adapter: null, reason: 'no navigator.gpu' }) };
const adapter = (architecture: string, fallback: boolean) => async () => ({
  adapter: { vendor: 'google', architecture, description: '', fallback },
});
/** Stands in for tfjs-node: registers a 'tensorflow' backend (the cpu one under that name). */
const fakeTfjsNode = async () => {
  tf.registerBackend('tensorflow', () => new MathBackendCPU());
  tf.copyRegisteredKernels('cpu', 'tensorflow');
};

describe('useBackend', () => {
  const initial = tf.getBackend();
  afterEach(async () => {
    if (tf.findBackendFactory('tensorflow')) {
      await tf.setBackend(initial);
      tf.removeBackend('tensorflow');
      for (const k of tf.getKernelsForBackend('tensorflow'))
        tf.unregisterKernel(k.kernelName, 'tensorflow');
    }
  });
  afterAll(() => tf.setBackend(initial));

  it('auto in Node without tfjs-node: wasm with the training kernels, says why', async () => {
    const s = await useBackend('auto', { loaders: noBindings, platform: 'node' });
    expect(s.backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(s.skipped).toHaveLength(1);
    expect(s.skipped[0].backend).toBe('tensorflow');
    expect(s.skipped[0].reason).toMatch(/tfjs-node-gpu.*tfjs-node/);
    expect(s.reason).toMatch(/WebAssembly.*\(auto on node\)/);
    const { added, replaced } = wasmKernelNames();
    for (const k of [...added, ...replaced]) expect(tf.getKernel(k, 'wasm'), k).toBeDefined();
    expect(added).toEqual(
      expect.arrayContaining([
        'Conv2DBackpropFilter',
        'DepthwiseConv2dNativeBackpropFilter',
        'DepthwiseConv2dNativeBackpropInput',
        'UnsortedSegmentSum',
      ]),
    );
    expect(s.gradients?.registered ?? -1).toBeGreaterThanOrEqual(0);
  });

  it('auto picks tensorflow when tfjs-node loads (the gpu build first)', async () => {
    const tried: string[] = [];
    const s = await useBackend('auto', {
      platform: 'node',
      loaders: {
        tfjsNodeGpu: () => (tried.push('gpu'), missing('gpu')()),
        tfjsNode: () => (tried.push('node'), fakeTfjsNode()),
      },
    });
    expect(tried).toEqual(['gpu', 'node']);
    expect(s.backend).toBe('tensorflow');
    expect(tf.getBackend()).toBe('tensorflow');
    expect(s.reason).toMatch(/@tensorflow\/tfjs-node is installed/);
    expect(s.skipped).toEqual([]);
  });

  it('auto passes over bindings that load but register no tensorflow backend', async () => {
    const s = await useBackend('auto', {
      platform: 'node',
      loaders: { tfjsNodeGpu: missing('gpu'), tfjsNode: async () => undefined },
    });
    expect(s.backend).toBe('wasm');
    expect(s.skipped[0].reason).toMatch(/registered no 'tensorflow' backend/);
  });

  it('auto in a browser tries webgpu, then webgl, then wasm', async () => {
    const s = await useBackend('auto', {
      platform: 'browser',
      loaders: { ...noGpu, webgl: () => Promise.reject(new Error('WebGL is not supported')) },
    });
    expect(s.backend).toBe('wasm');
    expect(s.skipped).toEqual([
      { backend: 'webgpu', reason: 'no WebGPU adapter: no navigator.gpu' },
      { backend: 'webgl', reason: 'WebGL is not supported' },
    ]);
  });

  it('auto passes over a software WebGPU adapter, and tries a hardware one', async () => {
    const noWebgl = { webgl: () => Promise.reject(new Error('no WebGL')) };
    const soft = await useBackend('auto', {
      platform: 'browser',
      loaders: { ...noWebgl, webgpuAdapter: adapter('swiftshader', true) },
    });
    expect(soft.backend).toBe('wasm');
    expect(soft.skipped[0].backend).toBe('webgpu');
    expect(soft.skipped[0].reason).toMatch(/computes in software .*swiftshader.*wasm is faster/);
    // Named like software, even where the fallback flag is missing (older Chrome).
    const named = await useBackend('auto', {
      platform: 'browser',
      loaders: { ...noWebgl, webgpuAdapter: adapter('swiftshader', false) },
    });
    expect(named.skipped[0].reason).toMatch(/computes in software/);
    // A hardware adapter is used: here the module "loads" but registers nothing, which is said.
    let loaded = 0;
    const hw = await useBackend('auto', {
      platform: 'browser',
      loaders: {
        ...noWebgl,
        webgpuAdapter: adapter('ampere', false),
        webgpu: async () => void loaded++,
      },
    });
    expect(loaded).toBe(1);
    expect(hw.skipped[0].reason).toMatch(/registered no 'webgpu' backend/);
    // An explicit 'webgpu' takes a software adapter (and fails later here, in Node).
    const err = await useBackend('webgpu', {
      loaders: { webgpuAdapter: adapter('swiftshader', true), webgpu: async () => undefined },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/registered no 'webgpu' backend.*tfjs-backend-webgpu/);
  });

  it('auto in a browser passes over WebGL that renders in software, and says why', async () => {
    const swiftshader =
      'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)';
    const s = await useBackend('auto', {
      platform: 'browser',
      loaders: { ...noGpu, webgl: async () => undefined, webglRenderer: () => swiftshader },
    });
    expect(s.backend).toBe('wasm');
    expect(s.skipped).toHaveLength(2);
    expect(s.skipped[1].backend).toBe('webgl');
    expect(s.skipped[1].reason).toMatch(/renders in software .*SwiftShader.*wasm is faster/);
    // A GPU renderer is not passed over: webgl is tried (and fails here, in Node, at activation).
    const gpu = await useBackend('auto', {
      platform: 'browser',
      loaders: {
        ...noGpu,
        webgl: async () => undefined,
        webglRenderer: () => 'ANGLE (NVIDIA GeForce RTX 4090)',
      },
    });
    expect(gpu.skipped[1].reason).toMatch(/'webgl' not found in registry/);
    // Nor with softwareWebgl: true.
    const kept = await useBackend('auto', {
      platform: 'browser',
      softwareWebgl: true,
      loaders: { ...noGpu, webgl: async () => undefined, webglRenderer: () => swiftshader },
    });
    expect(kept.skipped[1].reason).toMatch(/'webgl' not found in registry/);
  });

  it('an explicit choice is honoured or fails with a typed error naming it, why and what to do', async () => {
    expect((await useBackend('cpu')).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const err = await useBackend('tensorflow', { loaders: noBindings, platform: 'node' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as BackendUnavailableError).backend).toBe('tensorflow');
    expect((err as BackendUnavailableError).reason).toMatch(/cannot load the native bindings/);
    expect((err as Error).message).toMatch(/Install '@tensorflow\/tfjs-node'/);
    await expect(useBackend('tensorflow', { platform: 'browser' })).rejects.toThrow(/Node only/);
    await expect(
      useBackend('webgl', { loaders: { webgl: missing('webgl') } }),
    ).rejects.toBeInstanceOf(BackendUnavailableError);
    expect(tf.getBackend()).toBe('cpu'); // a failed choice changes nothing
  });

  it('rejects bad arguments', async () => {
    await expect(useBackend('gpu' as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(useBackend('wasm', { threads: 0 })).rejects.toThrow(
      /options.threads must be an integer >= 1, got 0/,
    );
  });

  it('logs the choice when asked, and can leave gradients alone', async () => {
    const lines: string[] = [];
    const s = await useBackend('wasm', { log: (l) => lines.push(l), gradients: false });
    expect(s.gradients).toBeNull();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^@face\/backends: using wasm, \d+ thread\(s\), 0 kernels added/);
  });

  it('registerWasmKernels refuses to run before the wasm backend is imported', async () => {
    await useBackend('wasm');
    const conv = tf.getKernel('Conv2D', 'wasm');
    tf.unregisterKernel('Conv2D', 'wasm');
    try {
      expect(() => registerWasmKernels()).toThrow(FaceError);
      expect(() => registerWasmKernels()).toThrow(/import '@tensorflow\/tfjs-backend-wasm' first/);
    } finally {
      tf.registerKernel(conv);
    }
    expect(registerWasmKernels()).toEqual([]); // already registered: idempotent
  });
});
