export { ImageDecodeError, DatasetError, type OnError, type Problem } from './errors';
export { deriveSeed } from './seed';
export { type DecodedImage } from './image';
export {
  type FaceDataset,
  type IdentityCount,
  type SubsetOptions,
  DatasetSubset,
  subset,
  countsPerIdentity,
} from './sources/dataset';
export { SyntheticFaces, type SyntheticFacesOptions } from './sources/synthetic-faces';
export { type FaceIdentity } from './synthetic/identity';
export { type FaceView, type ViewRanges, DEFAULT_VIEW_RANGES } from './synthetic/view';
export * from './transforms/index';
