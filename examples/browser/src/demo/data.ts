import {
  SyntheticFaces,
  generatePairs,
  splitByIdentity,
  subset,
  type FaceDataset,
  type Pair,
} from '@face/data';
import type { DemoConfig } from './config';

/** The demo's faces: people to train on, and people never seen in training to verify. */
export interface DemoData {
  faces: SyntheticFaces;
  /** The training people, relabelled 0..numClasses-1. */
  train: FaceDataset;
  /** The held-out people (open set). */
  test: FaceDataset;
  numClasses: number;
  /** Genuine and impostor pairs of `test` indices. */
  pairs: Pair[];
}

export function makeData(config: DemoConfig): DemoData {
  const faces = new SyntheticFaces({
    identities: config.identities,
    imagesPerIdentity: config.imagesPerIdentity,
    size: config.size,
    seed: config.seed,
  });
  const split = splitByIdentity(faces, {
    testIdentities: config.testIdentities,
    seed: config.seed,
  });
  const train = subset(faces, split.train, { relabel: true });
  const test = subset(faces, split.test);
  const pairs = generatePairs(test, { pairsPerFold: config.pairs, folds: 1, seed: config.seed });
  return { faces, train, test, numClasses: split.trainIdentities.length, pairs };
}
