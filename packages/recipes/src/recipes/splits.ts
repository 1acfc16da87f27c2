import { InvalidArgumentError, checkInteger, checkNumber } from '@face/core';
import {
  countsPerIdentity,
  splitByIdentity,
  splitByImage,
  subset,
  type FaceDataset,
} from '@face/data';
import { verificationSet, type VerificationSet } from '../evaluate/verification';

/** Same pairs drawn for training-time verification when `pairs` is not given. */
export const DEFAULT_TRAINING_PAIRS = 300;

export interface TrainingSplitsOptions {
  /** Fraction of the identities held out entirely, for verification on people never seen (0: none). */
  unseenFraction: number;
  /** Fraction of each remaining identity's images held out, for closed-set accuracy (0: none). */
  heldOutFraction: number;
  /** Default 0. */
  seed?: number;
  /** Same pairs (and as many different ones) drawn over the unseen people, at most. Default 300. */
  pairs?: number;
}

export interface TrainingSplits {
  /** Training images of the training identities, labels 0..C-1. */
  train: FaceDataset;
  /** Held-out images of the training identities (closed-set accuracy), if any. */
  heldOut: FaceDataset | null;
  /** Identities never trained on (open-set verification), if any. */
  unseen: FaceDataset | null;
  /** Verification pairs over `unseen`, if it has any same pair. */
  pairs: VerificationSet | null;
}

/**
 * `unseenFraction` leaves too few identities on one side: each side needs 2 (verification needs
 * different pairs, training more than one class). Carries both counts, for a caller's own words.
 */
export class UnseenSplitError extends InvalidArgumentError {
  override name = 'UnseenSplitError';
  constructor(
    fn: string,
    value: number,
    /** Identities the fraction holds out, and those it leaves for training. */
    readonly unseen: number,
    readonly training: number,
  ) {
    super(
      fn,
      'unseenFraction',
      value,
      `a fraction leaving at least 2 identities for verification and 2 for training (it leaves ${unseen} and ${training} of ${unseen + training})`,
    );
  }
}

/**
 * Divides a dataset for training and validation: `unseenFraction` of the identities are held out
 * entirely (verification on people never seen), then `heldOutFraction` of each remaining
 * identity's images (closed-set accuracy), and up to `pairs` same pairs (as many as the unseen
 * people allow) and as many different ones are drawn over the unseen people. Pure functions of
 * the seed, so a resumed run gets the same split. Identities without images are dropped from the
 * training labels (relabelled 0..C-1).
 */
export function trainingSplits(
  dataset: FaceDataset,
  options: TrainingSplitsOptions,
): TrainingSplits {
  const fn = 'trainingSplits';
  const o = options ?? ({} as TrainingSplitsOptions);
  const unseenFraction = checkNumber(fn, 'unseenFraction', o.unseenFraction, { min: 0, max: 1 });
  const heldOutFraction = checkNumber(fn, 'heldOutFraction', o.heldOutFraction, {
    min: 0,
    max: 1,
  });
  const seed = checkInteger(fn, 'seed', o.seed ?? 0);
  const pairs = checkInteger(fn, 'pairs', o.pairs ?? DEFAULT_TRAINING_PAIRS, { min: 1 });
  const { known, unseen } = byIdentity(fn, dataset, unseenFraction, seed);
  let train = known;
  let heldOut: FaceDataset | null = null;
  if (heldOutFraction > 0) {
    const s = splitByImage(known, { testFraction: heldOutFraction, seed });
    train = subset(known, s.train);
    heldOut = s.test.length ? subset(known, s.test) : null;
  }
  return { train, heldOut, unseen, pairs: unseen ? pairsOver(unseen, pairs, seed) : null };
}

/** The identities trained on (relabelled) and those held out whole. */
function byIdentity(
  fn: string,
  dataset: FaceDataset,
  unseenFraction: number,
  seed: number,
): { known: FaceDataset; unseen: FaceDataset | null } {
  const identities = dataset.classNames.length;
  if (unseenFraction > 0) {
    const n = Math.round(identities * unseenFraction);
    if (n < 2 || identities - n < 2)
      throw new UnseenSplitError(fn, unseenFraction, n, identities - n);
    const s = splitByIdentity(dataset, { testIdentities: n, seed });
    return { known: subset(dataset, s.train, { relabel: true }), unseen: subset(dataset, s.test) };
  }
  // Identities with no image would be classes nobody trains: relabel to the present ones.
  if (new Set(dataset.labels).size < identities)
    return {
      known: subset(dataset, Array.from(dataset.labels.keys()), { relabel: true }),
      unseen: null,
    };
  return { known: dataset, unseen: null };
}

/** As many same pairs as the held-out people allow, up to `pairs`; none when they allow none. */
function pairsOver(unseen: FaceDataset, pairs: number, seed: number): VerificationSet | null {
  const capacity = countsPerIdentity(unseen).reduce((s, c) => s + (c.count * (c.count - 1)) / 2, 0);
  return capacity > 0 ? verificationSet(unseen, { pairs: Math.min(pairs, capacity), seed }) : null;
}
