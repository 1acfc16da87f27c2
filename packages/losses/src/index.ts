export { pairwiseDistance, type DistanceKind } from './distances';
