export { layerNorm, type LayerNormOptions } from './layer-norm';
