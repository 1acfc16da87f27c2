import { loadFixture } from '@face/test-support';
import type { DistanceKind, PairReduction } from '@face/losses';

export interface TripletCase {
  distance: DistanceKind;
  normalize?: boolean;
  margin: number;
  miner: ['all' | 'hard' | 'semihard' | 'batchHard', number | 'Infinity' | null];
  softMargin: boolean;
  reduction: PairReduction;
  value: number | number[];
  grad: number[][];
  count: number;
}

export interface MetricFixture {
  embeddings: number[][];
  labels: number[];
  distances: {
    weights: number[][];
    cases: {
      kind: DistanceKind;
      normalize: boolean;
      matrix: number[][];
      gradWeightedSum: number[][];
    }[];
  };
  triplet: TripletCase[];
  tripletMargin: {
    anchor: number[][];
    positive: number[][];
    negative: number[][];
    cases: {
      distance: DistanceKind;
      margin: number;
      softMargin: boolean;
      perSample: number[];
      gradAnchor: number[][];
      gradPositive: number[][];
      gradNegative: number[][];
    }[];
  };
  contrastive: {
    batch: { margin: number; perPair: number[]; mean: number; grad: number[][] };
    pairs: {
      a: number[][];
      b: number[][];
      same: boolean[];
      distance: DistanceKind;
      margin: number;
      perPair: number[];
      sum: number;
      gradA: number[][];
      gradB: number[][];
    };
  };
  center: {
    numClasses: number;
    lambda: number;
    alpha: number;
    embeddings: number[][];
    labels: number[];
    centers: number[][];
    perSample: number[];
    mean: number;
    gradEmbeddings: number[][];
    gradCenters: number[][];
    updatedCenters: number[][];
  };
  joint: { projection: number[][]; ce: number; triplet: number; total: number; grad: number[][] };
}

export const metric = loadFixture<MetricFixture>(
  new URL('./metric-fixture.ts', import.meta.url).href,
  'metric',
);
