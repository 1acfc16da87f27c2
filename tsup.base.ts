import { defineConfig, type Options } from 'tsup';

/** The one build every published package uses: ESM + CJS + .d.ts from src/index.ts. */
export function packageConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: { compilerOptions: { composite: false } },
    tsconfig: 'tsconfig.build.json',
    sourcemap: true,
    clean: true,
    target: 'es2022',
    treeshake: false,
    ...overrides,
  });
}
