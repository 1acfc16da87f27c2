/** `F.normalize`'s floor on a norm (PyTorch's default eps), so a zero vector has cosine 0. */
const NORM_EPS = 1e-12;

/**
 * Cosine similarity of two vectors on plain numbers (no TF.js), in double precision: 0 when either
 * is zero, as `F.normalize`'s floor gives. The score of one verification pair; for many at once on
 * a backend use `pairSimilarity` from `@face/metrics/similarity`.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / (Math.max(Math.sqrt(na), NORM_EPS) * Math.max(Math.sqrt(nb), NORM_EPS));
}
