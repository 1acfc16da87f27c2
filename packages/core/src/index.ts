export { FaceError, InvalidArgumentError, ShapeError, describeValue } from './errors';
export {
  checkNumber,
  checkInteger,
  checkOneOf,
  checkRank,
  checkLabels,
  checkBoolean,
  checkOptions,
  type NumberBounds,
} from './validate';
export { Rng, type RngState } from './rng';
export {
  ModelFileError,
  MODEL_JSON_MAX_BYTES,
  MODEL_JSON_MAX_DEPTH,
  MODEL_WEIGHTS_MAX_BYTES,
  checkModelPath,
  checkWeightsManifest,
  decodeUtf8,
  fetchModelBytes,
  fetchModelJson,
  fetchWeightShards,
  parseModelJson,
  requireObject,
  resolveModelUrl,
  type CheckedWeightsGroup,
  type ModelFileProblem,
} from './model-files';
export {
  openModelFolder,
  readRegularFile,
  readRegularFileSync,
  readWeightShards,
  RegularFileError,
  type ReadRegularFileOptions,
  type RegularFileProblem,
  type ModelFolder,
  type ModelFileStat,
} from './model-files-node';
export { Registry } from './registry';
export { writeFileAtomic, writeFilesAtomic, errorWithPath } from './files-node';
export { isStateful, type JsonValue, type Stateful } from './stateful';
export { BackendSetupError, explainTfjsError } from './tfjs-errors';
