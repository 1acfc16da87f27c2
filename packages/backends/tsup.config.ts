import { copyFile } from 'node:fs/promises';
import { packageConfig } from '../../tsup.base';
import { tfjsGradientsEsbuildPlugin } from './bundler/tfjs-gradients';

// No `shims`: they would put `import path from "path"` and a top-level
// `fileURLToPath(import.meta.url)` into the ESM build, which browsers bundles cannot run.
// `hereUrl` (wasm/node-threads.ts) needs no shim: CJS has `__filename`, ESM `import.meta.url`.
// The pthread worker is a plain CommonJS file that Node starts by path: it sits next to the
// module that starts it, src/wasm/ in source and dist/ once built.
export default packageConfig({
  esbuildPlugins: [tfjsGradientsEsbuildPlugin()],
  onSuccess: () => copyFile('src/wasm/pthread-worker.cjs', 'dist/pthread-worker.cjs'),
});
