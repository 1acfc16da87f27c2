import { packageConfig } from '../../tsup.base';
import { tfjsGradientsEsbuildPlugin } from './bundler/tfjs-gradients';

// No `shims`: they would put `import path from "path"` and a top-level
// `fileURLToPath(import.meta.url)` into the ESM build, which browsers bundles cannot run.
// `requireHere` (wasm/node-threads.ts) needs no shim: CJS has `__filename`, ESM `import.meta.url`.
export default packageConfig({ esbuildPlugins: [tfjsGradientsEsbuildPlugin()] });
