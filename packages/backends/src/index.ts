export { useBackend, type UseBackendOptions, type BackendSelection } from './select/use-backend';
export { BACKENDS, type BackendName, type BackendChoice, type Platform } from './select/platform';
export type { BackendLoaders, WasmModule } from './select/loaders';
export { BackendUnavailableError } from './errors';
export {
  registerGradients,
  type GradientOptions,
  type GradientRegistration,
} from './gradients/register-gradients';
export { registerWasmKernels, wasmKernelNames } from './wasm/register-kernels';
