import { packageConfig } from '../../tsup.base';
import { tfjsGradientsEsbuildPlugin } from './bundler/tfjs-gradients';

// shims: import.meta.url in the CommonJS build (Node threads resolve tfjs-backend-wasm's files).
export default packageConfig({ esbuildPlugins: [tfjsGradientsEsbuildPlugin()], shims: true });
