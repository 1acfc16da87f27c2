export { FaceError, InvalidArgumentError, ShapeError, describeValue } from './errors';
export {
  checkNumber,
  checkInteger,
  checkOneOf,
  checkRank,
  checkLabels,
  type NumberBounds,
} from './validate';
export { Rng, type RngState } from './rng';
