import { InvalidArgumentError } from '@face/core';
import { generatePairs, type FaceDataset, type Pair, type Problem } from '@face/data';
import {
  cosineSimilarity,
  VALIDATION_FAR_TARGETS,
  verificationMetrics,
  type VerificationMetrics,
} from '@face/metrics';
import { embedDataset, embeddingRow, type EmbedOptions, type EmbeddingModel } from './embed';

/** A 1:1 verification protocol: pairs of images of `dataset` (indices), same person or not. */
export interface VerificationSet {
  dataset: FaceDataset;
  pairs: readonly Pair[];
}

/**
 * Balanced same/different pairs over the identities of `dataset` (held-out people, for an open-set
 * test): `generatePairs` of @face/data. `pairs` same pairs and as many different ones, in `folds`
 * folds (the LFW protocol's 10 by default when there are enough identities).
 */
export function verificationSet(
  dataset: FaceDataset,
  { pairs = 300, folds = 1, seed = 0 }: { pairs?: number; folds?: number; seed?: number } = {},
): VerificationSet {
  const perFold = Math.max(1, Math.floor(pairs / folds));
  return { dataset, pairs: generatePairs(dataset, { pairsPerFold: perFold, folds, seed }) };
}

export interface VerificationResult extends VerificationMetrics {
  /** Cosine similarity of each pair's embeddings, and whether it is a same pair (1) or not (0). */
  scores: Float64Array;
  labels: Uint8Array;
  /** The pairs scored, in order: the set's pairs less those that need an unreadable image. */
  pairs: Pair[];
  /** Pairs left out because one of their images could not be decoded. */
  droppedPairs: number;
  /** The unreadable images (onBadImage 'skip'), each once. */
  skipped: Problem[];
}

/**
 * 1:1 verification: embeds the images the pairs use (inference mode), scores each pair by the
 * cosine similarity of the embeddings (never by identity logits), and computes AUC, EER, TAR@FAR and
 * the best-threshold accuracy (`verificationMetrics` of @face/metrics). Pairs with an unreadable
 * image are left out and counted (`droppedPairs`), unless `onBadImage` is 'fail'.
 */
export async function evaluateVerification(
  model: EmbeddingModel,
  set: VerificationSet,
  { far = VALIDATION_FAR_TARGETS, ...options }: EmbedOptions & { far?: readonly number[] } = {},
): Promise<VerificationResult> {
  const fn = 'evaluateVerification';
  if (!set || !Array.isArray(set.pairs) || set.pairs.length === 0)
    throw new InvalidArgumentError(fn, 'set.pairs', set?.pairs, 'at least one pair');
  const used = [...new Set(set.pairs.flatMap((p) => [p.first, p.second]))].sort((a, b) => a - b);
  const e = await embedDataset(model, set.dataset, { ...options, indices: used });
  const rowOf = new Map(Array.from(e.indices, (idx, row) => [idx, row]));
  const pairs = set.pairs.filter((p) => rowOf.has(p.first) && rowOf.has(p.second));
  if (pairs.length === 0)
    throw new InvalidArgumentError(
      fn,
      'set.pairs',
      `${set.pairs.length} pairs, every one with an unreadable image (${e.skipped.length} skipped)`,
      'at least one pair whose two images decode',
    );
  const scores = Float64Array.from(pairs, (p) =>
    cosineSimilarity(embeddingRow(e, rowOf.get(p.first)!), embeddingRow(e, rowOf.get(p.second)!)),
  );
  const labels = Uint8Array.from(pairs, (p) => (p.same ? 1 : 0));
  return {
    ...verificationMetrics(scores, labels, { far }),
    scores,
    labels,
    pairs,
    droppedPairs: set.pairs.length - pairs.length,
    skipped: e.skipped,
  };
}
