// Distances
export {
  distance,
  pairwiseDistance,
  pairedDistance,
  type Distance,
  type DistanceConfig,
  type DistanceKind,
  type DistanceOptions,
} from './distances';
// Rows to unit length (PyTorch's F.normalize): the one L2 normalization of @face; metrics' cosine
// similarities use it too.
export { l2Normalize, NORM_EPSILON } from './util/tensors';

// Registries: one per kind (margin heads, miners, metric losses), names in one spelling

// Shared types
export type { Labels } from './util/labels';
export type { Reduction, PairReduction, Reduced } from './util/reduction';
export type { StatefulLoss } from './util/stateful';

// Classification
export {
  crossEntropy,
  TARGET_SUM_TOLERANCE,
  type CrossEntropyOptions,
} from './classification/cross-entropy';
export {
  klDivergence,
  type KlDivergenceOptions,
  type KlReduction,
} from './classification/kl-divergence';
export {
  OnlineLabelSmoothing,
  type OnlineLabelSmoothingConfig,
  type OnlineLabelSmoothingLossOptions,
  type OnlineLabelSmoothingState,
} from './classification/online-label-smoothing';

// Margin heads
export {
  MARGIN_HEAD_KEYS,
  MarginHead,
  TargetAngle,
  type MarginHeadConfig,
  type MarginHeadLossOptions,
} from './margin/base';
export { NormalizedSoftmax, type NormalizedSoftmaxConfig } from './margin/normalized-softmax';
export { CosFace, type CosFaceConfig } from './margin/cosface';
export { ArcFace, type ArcFaceConfig } from './margin/arcface';
export { CombinedMargin, type CombinedMarginConfig } from './margin/combined-margin';
export { SphereFace, type SphereFaceConfig, type SphereFaceState } from './margin/sphereface';
export {
  getMarginHead,
  marginHeadFromConfig,
  marginHeadNames,
  registerMarginHead,
  serializeMarginHead,
  watchMarginHeads,
  type BuiltinMarginHeadName,
  type MarginHeadClass,
  type MarginHeadClassName,
  type MarginHeadEntry,
  type MarginHeadName,
  type SerializedMarginHead,
} from './margin/registry';

// Metric learning
export {
  tripletLoss,
  tripletMarginLoss,
  type TripletLossOptions,
  type TripletMarginOptions,
} from './metric/triplet';
export {
  contrastiveLoss,
  contrastivePairLoss,
  type ContrastiveOptions,
} from './metric/contrastive';
export { CenterLoss, type CenterLossConfig, type CenterLossOptions } from './metric/center';
export {
  getMetricLoss,
  metricLossNames,
  registerMetricLoss,
  type BuiltinMetricLossName,
  type CenterTermOptions,
  type ContrastiveTermOptions,
  type MetricLossContext,
  type MetricLossEntry,
  type MetricLossName,
  type MetricLossTerm,
  type TripletTermOptions,
} from './metric/registry';

// Miners
export { allTripletsMiner } from './miners/all';
export { hardTripletsMiner } from './miners/hard';
export { semiHardTripletsMiner } from './miners/semi-hard';
export { batchHardMiner } from './miners/batch-hard';
export type { MinerOptions, MarginMinerOptions } from './miners/mine';
export type { TripletMiner, TripletMinerConfig, TripletMinerType, Triplets } from './miners/types';
export {
  getMiner,
  minerNames,
  registerMiner,
  type BuiltinMinerName,
  type MinerContext,
  type MinerEntry,
  type MinerName,
} from './miners/registry';

// Joint objective
export { jointLoss, type JointLoss, type LossTerm } from './joint';
