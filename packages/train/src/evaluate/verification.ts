import { InvalidArgumentError } from '@face/core';
import { generatePairs, type FaceDataset, type Pair } from '@face/data';
import { verificationMetrics, type VerificationMetrics } from '@face/metrics';
import {
  cosineSimilarity,
  embedDataset,
  embeddingRow,
  type EmbedOptions,
  type EmbeddingModel,
} from './embed';

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
}

/**
 * 1:1 verification: embeds the images the pairs use (inference mode), scores each pair by the
 * cosine similarity of the embeddings (never by identity logits), and computes AUC, EER, TAR@FAR and
 * the best-threshold accuracy (`verificationMetrics` of @face/metrics).
 */
export async function evaluateVerification(
  model: EmbeddingModel,
  set: VerificationSet,
  { far = [1e-2, 1e-1], ...options }: EmbedOptions & { far?: readonly number[] } = {},
): Promise<VerificationResult> {
  const fn = 'evaluateVerification';
  if (!set || !Array.isArray(set.pairs) || set.pairs.length === 0)
    throw new InvalidArgumentError(fn, 'set.pairs', set?.pairs, 'at least one pair');
  const used = [...new Set(set.pairs.flatMap((p) => [p.first, p.second]))].sort((a, b) => a - b);
  const rowOf = new Map(used.map((idx, row) => [idx, row]));
  const e = await embedDataset(model, set.dataset, { ...options, indices: used });
  const scores = Float64Array.from(set.pairs, (p) =>
    cosineSimilarity(embeddingRow(e, rowOf.get(p.first)!), embeddingRow(e, rowOf.get(p.second)!)),
  );
  const labels = Uint8Array.from(set.pairs, (p) => (p.same ? 1 : 0));
  return { ...verificationMetrics(scores, labels, { far }), scores, labels };
}
