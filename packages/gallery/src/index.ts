export {
  openGallery,
  Gallery,
  type OpenGalleryOptions,
  type HnswOptions,
  type GalleryStats,
} from './gallery';
export { type GalleryModel } from './context';
export { modelFingerprint, type ModelWeight } from './fingerprint';
export { type Template, type EnrolResult, type EnrolStreamOptions } from './enrol';
export { type IdentifyOptions, type Identification, type Candidate } from './identify';
export { calibrate, type Calibration, type LabelledQueries } from './calibrate';
export { SCHEMA_VERSION } from './schema';
export {
  GalleryError,
  GalleryModelError,
  GalleryLocationError,
  GalleryDriverError,
} from './errors';
