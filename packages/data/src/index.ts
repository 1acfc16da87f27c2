export {
  ImageDecodeError,
  DatasetError,
  ListConflictError,
  type OnError,
  type Problem,
} from './errors';
export { deriveSeed } from './seed';
export { type DecodedImage, DEFAULT_MAX_PIXELS, DEFAULT_MAX_FILE_BYTES } from './image';
export {
  type FaceDataset,
  type IdentityCount,
  type SubsetOptions,
  DatasetSubset,
  subset,
  countsPerIdentity,
  withLoad,
} from './sources/dataset';
export { SyntheticFaces, type SyntheticFacesOptions } from './sources/synthetic-faces';
export { type FaceIdentity } from './synthetic/identity';
export { type FaceView, type ViewRanges, DEFAULT_VIEW_RANGES } from './synthetic/view';
export * from './transforms/index';
export {
  splitByImage,
  splitByIdentity,
  splitGalleryQuery,
  type SplitByImageOptions,
  type SplitByIdentityOptions,
  type GalleryQueryOptions,
  type ImageSplit,
  type IdentitySplit,
  type GalleryQuerySplit,
} from './splits';
export { type LabelSource } from './labels';
export { type Sampler } from './samplers/sampler';
export { ShuffleSampler, type ShuffleSamplerOptions } from './samplers/shuffle';
export { PKSampler, type PKSamplerOptions } from './samplers/pk';
export { TripletSampler, type TripletSamplerOptions } from './samplers/triplet';
export { generatePairs, type Pair, type GeneratePairsOptions } from './pairs/generate';
export {
  parseLfwPairs,
  formatLfwPairs,
  type ParseLfwPairsOptions,
  lfwImagePath,
  lfwPairIndices,
  type LfwImage,
  type LfwPair,
  type LfwPairs,
} from './pairs/lfw';
export { decodeImageBrowser } from './decode/browser';
export { imageHeaderSize } from './decode/header';
export {
  FileDataset,
  compareIdentities,
  type FileEntry,
  type FileDatasetOptions,
} from './sources/file-dataset';
export {
  parseImageList,
  DEFAULT_MAX_LIST_BYTES,
  type ParseImageListOptions,
} from './sources/list-file';
export {
  DataLoader,
  disposeBatch,
  type Batch,
  type DataLoaderOptions,
  type IterateOptions,
} from './loader';
