export { batchNorm, type BatchNormOptions, type BatchNormOutput } from './ops/batch-norm';
export { layerNorm, type LayerNormOptions } from './ops/layer-norm';
export { groupNorm, type GroupNormOptions } from './ops/group-norm';
export { instanceNorm, type InstanceNormOptions } from './ops/instance-norm';
export { BatchNorm, type BatchNormArgs } from './layers/batch-norm';
export { LayerNorm, type LayerNormArgs } from './layers/layer-norm';
export { GroupNorm, type GroupNormArgs } from './layers/group-norm';
export { InstanceNorm, type InstanceNormArgs } from './layers/instance-norm';
// Helpers for writing a single-input tfjs-layers Layer (used by @face/layers and @face/pretrained)
export {
  singleInput,
  singleShape,
  isTraining,
  type BaseLayerArgs,
  type LayerShape,
} from './layers/layer-support';
export { norm, NORM_KINDS, type NormKind, type NormOptions, type NormSpec } from './factory';
