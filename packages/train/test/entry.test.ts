import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  importsOf,
  sourceFiles,
  staticNodeImports,
  undeclaredImports,
} from '@face/test-support/package-source';

const src = fileURLToPath(new URL('../src', import.meta.url));

describe('package entry', () => {
  it('is browser-safe: Node built-ins only through lazy import(), never a static import', () => {
    expect(staticNodeImports(sourceFiles(src))).toEqual([]);
    const lazy = sourceFiles(src).filter((path) =>
      /import\(['"]node:fs\/promises['"]\)/.test(readFileSync(path, 'utf8')),
    );
    expect(lazy.length).toBeGreaterThan(0);
  });

  it('the whole package (trainer, optimizers, schedules, callbacks, checkpoints) needs only core and tfjs-core', () => {
    const all = sourceFiles(src);
    expect(all.length).toBeGreaterThan(10);
    expect(importsOf(all)).toEqual(['@face/core', '@tensorflow/tfjs-core']);
  });

  it('imports only declared dependencies and peers', () => {
    expect(undeclaredImports(src)).toEqual([]);
  });
});
