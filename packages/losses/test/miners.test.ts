import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { loadFixture } from '@face/test-support';
import {
  allTripletsMiner,
  batchHardMiner,
  type DistanceKind,
  hardTripletsMiner,
  semiHardTripletsMiner,
  type TripletMiner,
  type Triplets,
} from '@face/losses';

interface MinerCase {
  points: 'embeddings' | 'clustered';
  distance: DistanceKind;
  type: 'all' | 'hard' | 'semihard' | 'batchHard';
  margin: number | 'Infinity' | null;
  triplets: [number, number, number][];
}
const fx = loadFixture<{
  embeddings: number[][];
  labels: number[];
  miners: { clustered: number[][]; cases: MinerCase[] };
}>(import.meta.url, 'metric');

/** Distances straight from the definitions, in float64. */
function naiveDistance(a: number[], b: number[], kind: DistanceKind): number {
  const sq = a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0);
  if (kind === 'squaredEuclidean') return sq;
  if (kind === 'euclidean') return Math.sqrt(sq);
  const dot = a.reduce((s, v, i) => s + v * b[i], 0);
  return 1 - dot / (Math.hypot(...a) * Math.hypot(...b));
}

/**
 * The per-sample reference: for each anchor, each positive, each negative, test the miner's
 * condition on gap = d(a, n) - d(a, p) (batch hard: per anchor, farthest positive and closest
 * negative, lowest index on ties).
 */
function naiveMine(
  x: number[][],
  y: number[],
  kind: DistanceKind,
  type: MinerCase['type'],
  margin: number,
): [number, number, number][] {
  const d = (i: number, j: number) => naiveDistance(x[i], x[j], kind);
  const out: [number, number, number][] = [];
  for (let a = 0; a < x.length; a++) {
    if (type === 'batchHard') {
      let p = -1;
      let n = -1;
      for (let j = 0; j < x.length; j++) {
        if (j === a) continue;
        if (y[j] === y[a] && (p < 0 || d(a, j) > d(a, p))) p = j;
        if (y[j] !== y[a] && (n < 0 || d(a, j) < d(a, n))) n = j;
      }
      if (p >= 0 && n >= 0 && d(a, n) - d(a, p) <= margin) out.push([a, p, n]);
      continue;
    }
    for (let p = 0; p < x.length; p++) {
      if (p === a || y[p] !== y[a]) continue;
      for (let n = 0; n < x.length; n++) {
        if (y[n] === y[a]) continue;
        const gap = d(a, n) - d(a, p);
        const keep =
          type === 'all' ? gap <= margin : type === 'hard' ? gap <= 0 : gap > 0 && gap <= margin;
        if (keep) out.push([a, p, n]);
      }
    }
  }
  return out;
}

function makeMiner(c: MinerCase, margin: number): TripletMiner {
  const distance = c.distance;
  if (c.type === 'hard') return hardTripletsMiner({ distance });
  if (c.type === 'all') return allTripletsMiner({ distance, margin });
  if (c.type === 'semihard') return semiHardTripletsMiner({ distance, margin });
  return batchHardMiner({ distance, margin });
}

const asList = (t: Triplets): [number, number, number][] =>
  Array.from(t.anchors, (a, i) => [a, t.positives[i], t.negatives[i]]);

describe('triplet miners pick exactly the triplets of a naive per-sample loop', () => {
  it.each(
    fx.miners.cases.map(
      (c) => [`${c.type} margin=${c.margin} ${c.distance} on ${c.points}`, c] as const,
    ),
  )('%s', (_name, c) => {
    const points = c.points === 'clustered' ? fx.miners.clustered : fx.embeddings;
    const margin = c.margin === 'Infinity' ? Infinity : (c.margin ?? 0);
    const x = tf.tensor2d(points);
    const mined = asList(makeMiner(c, margin).mine(x, fx.labels));
    x.dispose();
    expect(mined).toEqual(naiveMine(points, fx.labels, c.distance, c.type, margin));
    expect(mined).toEqual(c.triplets); // and the PyTorch script's loop
  });

  it('every mined triplet is valid: same label for anchor and positive, another for the negative', () => {
    const x = tf.tensor2d(fx.embeddings);
    const t = allTripletsMiner().mine(x, fx.labels);
    x.dispose();
    const y = fx.labels;
    for (const [a, p, n] of asList(t)) {
      expect(a).not.toBe(p);
      expect(y[a]).toBe(y[p]);
      expect(y[n]).not.toBe(y[a]);
    }
    // 12 samples: classes of sizes 3, 3, 2, 3, 1 -> sum over anchors of (k - 1)(12 - k)
    expect(t.anchors.length).toBe(3 * 2 * 9 + 3 * 2 * 9 + 2 * 1 * 10 + 3 * 2 * 9);
  });

  it('gives no triplet when every label is distinct or all are equal', () => {
    const x = tf.tensor2d(fx.embeddings.slice(0, 4));
    expect(allTripletsMiner().mine(x, [0, 1, 2, 3]).anchors.length).toBe(0);
    expect(batchHardMiner().mine(x, [5, 5, 5, 5]).anchors.length).toBe(0);
    x.dispose();
  });

  it('reports its configuration', () => {
    expect(semiHardTripletsMiner({ margin: 0.3, distance: 'cosine' }).getConfig()).toEqual({
      type: 'semi-hard',
      margin: 0.3,
      distance: { kind: 'cosine', normalize: false },
    });
    expect(hardTripletsMiner().getConfig().margin).toBeNull();
    expect(batchHardMiner().getConfig().margin).toBe(Infinity);
  });
});
