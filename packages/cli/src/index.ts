// @face/cli: the `face` command (bin) and its pieces for programs that drive it.
export { main, COMMANDS } from './main';
export {
  UsageError,
  parseFlags,
  helpText,
  type Command,
  type Flag,
  type Io,
  type Values,
} from './args';
export { selectBackend, BACKEND_CHOICES, type BackendChoice } from './backend';
export {
  BACKBONES,
  buildBackbone,
  convnetTiny,
  type BackboneName,
  type BuiltBackbone,
} from './backbones';
export { runDemo, type DemoOptions, type DemoResult } from './commands/demo';
export { writeNpy, readNpy } from './npy';
