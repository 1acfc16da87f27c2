import { InvalidArgumentError, checkInteger } from '@face/core';
import { PKSampler, countsPerIdentity, type FaceDataset } from '@face/data';
import { minerNames, type MinerName, type TripletMiner } from '@face/losses';

/**
 * Names of the triplet miners (CLI `--miner`): @face/losses's miner registry, a live array that
 * later `registerMiner` calls extend.
 */
export const MINER_KINDS: readonly MinerKind[] = minerNames();
export type MinerKind = MinerName;

/** Triplet loss settings of the joint and metric recipes. */
export interface TripletOptions {
  /** Margin m of max(0, d(a, p) - d(a, n) + m). Default 0.2 (on L2-normalized embeddings). */
  margin?: number;
  /** How triplets are mined in each P x K batch. Default 'batch-hard' (Hermans et al. 2017). */
  miner?: MinerKind | TripletMiner;
}

/**
 * P identities x K images per batch for the triplet term. Every identity needs at least 2 images
 * (an anchor and a positive): with one, K draws would repeat the same image and the triplet
 * term would see no real positive.
 */
export function pkSampler(
  fn: string,
  train: FaceDataset,
  { p = 8, k = 4, seed = 0 }: { p?: number; k?: number; seed?: number },
): PKSampler {
  checkInteger(fn, 'p', p, { min: 2 });
  checkInteger(fn, 'k', k, { min: 2 });
  const counts = countsPerIdentity(train).filter((c) => c.count > 0);
  const single = counts.filter((c) => c.count < 2);
  if (single.length > 0) {
    const names = single
      .slice(0, 5)
      .map((c) => `'${c.identity}'`)
      .join(', ');
    throw new InvalidArgumentError(
      fn,
      'train',
      `${single.length} identit${single.length === 1 ? 'y' : 'ies'} with a single image (${names}${single.length > 5 ? ', ...' : ''})`,
      'at least 2 images per identity: P x K batches need positives for the triplet loss ' +
        '(drop those identities, or use the classification recipe)',
    );
  }
  if (p > counts.length)
    throw new InvalidArgumentError(
      fn,
      'p',
      p,
      `at most the number of identities (${counts.length})`,
    );
  return new PKSampler(train, { p, k, seed });
}
