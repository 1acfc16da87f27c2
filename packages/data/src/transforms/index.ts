export {
  type Transform,
  type TransformSpec,
  type RegisteredTransformKind,
  type RegisteredTransformSpec,
  type SizeSpec,
  type PixelImage,
  compose,
  applyTransform,
} from './transform';
export {
  transformFromSpec,
  registerTransformKind,
  transformKinds,
  type TransformKindBuilder,
} from './spec';
export {
  resize,
  centerCrop,
  randomCrop,
  randomHorizontalFlip,
  type ResizeOptions,
  type RandomCropOptions,
  type FlipOptions,
} from './geometry';
export {
  colorJitter,
  adjustBrightness,
  adjustContrast,
  adjustSaturation,
  adjustHue,
  type ColorJitterOptions,
} from './color';
export { normalize, normalizeImage, type NormalizeOptions } from './normalize';
export { randomErasing, type RandomErasingOptions } from './random-erasing';
