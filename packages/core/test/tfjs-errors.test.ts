import { describe, expect, it } from 'vitest';
import { BackendSetupError, explainTfjsError, FaceError, InvalidArgumentError } from '@face/core';

// TF.js's own messages (tfjs-core 4.22, engine.ts and gradients), as it throws them.
const kernelMissing = new Error("Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'");
const noBackend = new Error('No backend found in registry.');
const noGradient = new Error('Cannot compute gradient: gradient function not found for Conv2D.');

describe('explainTfjsError', () => {
  it('names @face/backends for a kernel the backend lacks', () => {
    const e = explainTfjsError(kernelMissing, 'Trainer: a training step');
    expect(e).toBeInstanceOf(BackendSetupError);
    expect(e).toBeInstanceOf(FaceError);
    const err = e as BackendSetupError;
    expect(err.message).toBe(
      "Trainer: a training step needs the TF.js kernel 'Conv2DBackpropFilter', which backend 'wasm' does not have: install @face/backends and start with `await useBackend('auto')` (from @face/backends), which registers tfjs-core's gradients and the training kernels the wasm backend lacks",
    );
    expect([err.kernel, err.backend, err.cause]).toEqual([
      'Conv2DBackpropFilter',
      'wasm',
      kernelMissing,
    ]);
  });

  it('names it for a missing gradient and for no backend at all', () => {
    const g = explainTfjsError(noGradient, 'f') as BackendSetupError;
    expect(g.message).toMatch(
      /^f needs the gradient of 'Conv2D', which is not registered: install @face\/backends/,
    );
    expect(g.kernel).toBe('Conv2D');
    const b = explainTfjsError(noBackend, 'f') as BackendSetupError;
    expect(b.message).toMatch(/^f found no TF\.js backend: install @face\/backends/);
  });

  it('returns every other error unchanged', () => {
    const plain = new Error('out of memory');
    const ours = new InvalidArgumentError('f', 'x', 1, 'a string');
    expect(explainTfjsError(plain, 'f')).toBe(plain);
    expect(explainTfjsError(ours, 'f')).toBe(ours);
    expect(explainTfjsError('a string', 'f')).toBe('a string');
  });
});
