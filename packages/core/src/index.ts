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
