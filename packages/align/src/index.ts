export {
  estimateSimilarity,
  invertAffine,
  transformPoints,
  type AffineMatrix,
  type Point,
} from './similarity';
export {
  ARCFACE_TEMPLATE,
  DLIB_TEMPLATE,
  TEMPLATE_NAMES,
  alignmentTemplate,
  dlibTemplate,
  type AlignmentTemplate,
  type TemplateName,
} from './templates';
export { alignFaces, alignmentMatrix, warpAffine, warpAffinePixels } from './warp';
export {
  alignTransform,
  registerAlignTransforms,
  ALIGN_TRANSFORM_KIND,
  type AlignTransformOptions,
} from './transform';
export {
  FaceDetector,
  DETECTORS,
  fivePoints,
  type DetectedFace,
  type DetectorName,
  type FaceDetectorOptions,
  type FaceDetectorWeights,
} from './detect';
export { FACE_POLICIES, selectFaces, type FacePolicy } from './policy';
export { FACE_API_MANIFESTS, type FaceApiModule } from './face-api';
export {
  alignImage,
  alignedDataset,
  NoFaceError,
  DATASET_POLICIES,
  type AlignOptions,
  type AlignedImage,
} from './dataset';
