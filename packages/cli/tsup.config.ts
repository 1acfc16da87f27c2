import { packageConfig } from '../../tsup.base';

// Two entries: the library door (src/index.ts) and the `face` executable (src/bin.ts, ESM only,
// with its shebang kept by esbuild).
export default [
  packageConfig(),
  packageConfig({ entry: ['src/bin.ts'], format: ['esm'], dts: false, clean: false }),
];
