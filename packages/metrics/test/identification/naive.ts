// Naive references written straight from the definitions: full similarity lists in float64,
// sorted, no blocks, no running top-k.
import type { Rng } from '@face/core';

export type Metric = 'cosine' | 'euclidean';

export function randomEmbeddings(rng: Rng, n: number, d: number, integer = false): number[][] {
  return Array.from({ length: n }, () =>
    Array.from({ length: d }, () => (integer ? rng.int(5) - 2 : rng.normal())),
  );
}

export function similarity(a: number[], b: number[], metric: Metric): number {
  if (metric === 'euclidean') return -Math.sqrt(a.reduce((s, x, i) => s + (x - b[i]) ** 2, 0));
  const dot = a.reduce((s, x, i) => s + x * b[i], 0);
  const na = Math.max(Math.hypot(...a), 1e-12);
  const nb = Math.max(Math.hypot(...b), 1e-12);
  return dot / (na * nb);
}

/** Every gallery row of query q, best first, ties by lower index; self left out on request. */
export function ranking(
  q: number[],
  gallery: number[][],
  metric: Metric,
  skip = -1,
): { index: number; score: number }[] {
  return gallery
    .map((g, index) => ({ index, score: similarity(q, g, metric) }))
    .filter((m) => m.index !== skip)
    .sort((a, b) => b.score - a.score || a.index - b.index);
}

/** The first match of each identity, in ranking order. */
export function identityRanking(rank: { index: number; score: number }[], labels: number[]) {
  const seen = new Set<number>();
  return rank.filter((m) => !seen.has(labels[m.index]) && seen.add(labels[m.index]));
}
