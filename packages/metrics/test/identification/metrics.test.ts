import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Rng } from '@face/core';
import {
  cmc,
  dirAtFar,
  mapAtR,
  maxR,
  openSetCounts,
  precisionAt1,
  retrievalMetrics,
  rPrecision,
  thresholdAtFar,
  type Neighbors,
} from '@face/metrics';
import { searchGallery } from '@face/metrics/similarity';
import { identityRanking, randomEmbeddings, ranking } from './naive';

// A watch list: 12 enrolled identities with 1-4 images each; queries of enrolled identities
// (known) and of 6 others (unknown), embeddings clustered by identity.
const rng = new Rng(11);
const centers = randomEmbeddings(rng, 18, 6);
const noisy = (c: number[]) => c.map((x) => x + 0.7 * rng.normal());
const galleryLabels: number[] = [];
const gallery: number[][] = [];
for (let id = 0; id < 12; id++) {
  for (let j = 0, n = 1 + (id % 4); j < n; j++) {
    galleryLabels.push(id);
    gallery.push(noisy(centers[id]));
  }
}
const queryLabels = Array.from({ length: 40 }, (_, i) => i % 18); // ids 12..17 are unknown
const queries = queryLabels.map((id) => noisy(centers[id]));
const rankings = queries.map((q) => ranking(q, gallery, 'cosine'));

/** Neighbors built from the naive rankings (no TF.js involved). */
function neighborsOf(lists: { index: number; score: number }[][], k: number): Neighbors {
  const indices = new Int32Array(lists.length * k).fill(-1);
  const scores = new Float64Array(lists.length * k).fill(-Infinity);
  lists.forEach((l, q) =>
    l.slice(0, k).forEach((m, j) => {
      indices[q * k + j] = m.index;
      scores[q * k + j] = m.score;
    }),
  );
  return { queries: lists.length, k, indices, scores };
}

const known = (q: number) => galleryLabels.includes(queryLabels[q]);

describe('cmc against the definition', () => {
  it('rank-r rate = known queries whose identity is among the r best identities', () => {
    const byIdentity = rankings.map((r) => identityRanking(r, galleryLabels));
    const curve = cmc(neighborsOf(byIdentity, 12), queryLabels, galleryLabels);
    const knownQs = queryLabels.map((_, q) => q).filter(known);
    for (let r = 1; r <= 12; r++) {
      // naive: identity rank = 1 + identities whose best score beats the mate's best score
      const hits = knownQs.filter((q) => {
        const best = new Map<number, number>();
        rankings[q].forEach((m) => {
          const l = galleryLabels[m.index];
          best.set(l, Math.max(best.get(l) ?? -Infinity, m.score));
        });
        const mate = best.get(queryLabels[q])!;
        return 1 + [...best.values()].filter((s) => s > mate).length <= r;
      }).length;
      expect(curve[r - 1]).toBe(hits / knownQs.length);
    }
    expect(curve[11]).toBe(1);
    expect(curve[0]).toBeLessThan(1); // the data is not trivially separable
  });

  it('is the same from searchGallery by identity (end to end on the backend)', async () => {
    const found = await searchGallery(queries, gallery, { k: 5, by: 'identity', galleryLabels });
    const byIdentity = rankings.map((r) => identityRanking(r, galleryLabels));
    expect(cmc(found, queryLabels, galleryLabels)).toEqual(
      cmc(neighborsOf(byIdentity, 5), queryLabels, galleryLabels),
    );
    expect(cmc(found, queryLabels, galleryLabels, { maxRank: 2 })).toHaveLength(2);
  });
});

describe('precision@1, R-precision and MAP@R (Musgrave et al. 2020) against the definition', () => {
  it('on queries against the gallery', () => {
    const k = maxR(queryLabels, galleryLabels);
    expect(k).toBe(4);
    const got = retrievalMetrics(neighborsOf(rankings, k), queryLabels, galleryLabels);
    let p1 = 0;
    let rp = 0;
    let map = 0;
    let n = 0;
    queries.forEach((_, q) => {
      const y = queryLabels[q];
      const R = galleryLabels.filter((l) => l === y).length;
      if (R === 0) return;
      n++;
      const rel = rankings[q].map((m) => galleryLabels[m.index] === y);
      p1 += rel[0] ? 1 : 0;
      rp += rel.slice(0, R).filter(Boolean).length / R;
      let ap = 0;
      for (let i = 1; i <= R; i++) {
        if (rel[i - 1]) ap += rel.slice(0, i).filter(Boolean).length / i;
      }
      map += ap / R;
    });
    expect(got.queries).toBe(n);
    expect(got.precisionAt1).toBeCloseTo(p1 / n, 14);
    expect(got.rPrecision).toBeCloseTo(rp / n, 14);
    expect(got.mapAtR).toBeCloseTo(map / n, 14);
    expect(got.mapAtR).toBeLessThan(got.rPrecision + 1e-12); // MAP@R <= R-precision
    const nb = neighborsOf(rankings, k);
    expect(precisionAt1(nb, queryLabels, galleryLabels)).toBe(got.precisionAt1);
    expect(rPrecision(nb, queryLabels, galleryLabels)).toBe(got.rPrecision);
    expect(mapAtR(nb, queryLabels, galleryLabels)).toBe(got.mapAtR);
  });

  it('on a hand-checked list: relevance 1 0 1 1 with R = 4', () => {
    const nb: Neighbors = {
      queries: 1,
      k: 4,
      indices: Int32Array.of(0, 4, 1, 2),
      scores: Float64Array.of(4, 3, 2, 1),
    };
    const got = retrievalMetrics(nb, [1], [1, 1, 1, 1, 2]);
    expect(got.precisionAt1).toBe(1);
    expect(got.rPrecision).toBe(3 / 4);
    expect(got.mapAtR).toBeCloseTo((1 + 2 / 3 + 3 / 4) / 4, 15);
  });

  it('with the gallery as its own queries (excludeSelf)', async () => {
    const k = maxR(galleryLabels, galleryLabels, { excludeSelf: true });
    const found = await searchGallery(gallery, gallery, { k, excludeSelf: true });
    const got = retrievalMetrics(found, galleryLabels, galleryLabels, { excludeSelf: true });
    let map = 0;
    let n = 0;
    gallery.forEach((g, q) => {
      const y = galleryLabels[q];
      const R = galleryLabels.filter((l) => l === y).length - 1;
      if (R === 0) return; // identities with one image have nothing to retrieve
      n++;
      const rel = ranking(g, gallery, 'cosine', q).map((m) => galleryLabels[m.index] === y);
      let ap = 0;
      for (let i = 1; i <= R; i++) if (rel[i - 1]) ap += rel.slice(0, i).filter(Boolean).length / i;
      map += ap / R;
    });
    expect(got.queries).toBe(n);
    expect(got.mapAtR).toBeCloseTo(map / n, 6);
    // without excludeSelf on the same neighbors, R would count the query itself
    const withSelf = await searchGallery(gallery, gallery, { k: k + 1 });
    expect(() =>
      retrievalMetrics(withSelf, galleryLabels, galleryLabels, { excludeSelf: true }),
    ).toThrow(/not the query itself/);
  });

  it('asks for k >= the largest R', () => {
    expect(() => mapAtR(neighborsOf(rankings, 3), queryLabels, galleryLabels)).toThrow(
      /neighbors\.k must be >= 4 \(the largest R/,
    );
    expect(precisionAt1(neighborsOf(rankings, 1), queryLabels, galleryLabels)).toBeGreaterThan(0);
  });
});

describe('open-set identification against brute force', () => {
  const nb = neighborsOf(rankings, 3);
  const top1 = rankings.map((r) => r[0]);
  const unknownTop = top1.filter((_, q) => !known(q)).map((m) => m.score);
  const nKnown = queryLabels.filter((_, q) => known(q)).length;
  const mateRank = (q: number) =>
    rankings[q].findIndex((m) => galleryLabels[m.index] === queryLabels[q]);

  function naiveDir(far: number, rank: number) {
    const mateScore = (q: number) =>
      mateRank(q) < rank ? rankings[q][mateRank(q)].score : -Infinity;
    // candidates: the scores the decisions depend on, as ROC thresholds are
    const all = [
      Infinity,
      ...unknownTop,
      ...queries.map((_, q) => (known(q) ? mateScore(q) : Infinity)),
    ];
    const candidates = [...new Set(all)].filter((t) => t > -Infinity).sort((a, b) => b - a);
    let best = Infinity;
    for (const t of candidates) {
      if (unknownTop.filter((s) => s >= t).length / unknownTop.length <= far) best = t;
    }
    const dir = queries.filter((_, q) => known(q) && mateScore(q) >= best).length / nKnown;
    return {
      dir,
      threshold: best,
      actualFar: unknownTop.filter((s) => s >= best).length / unknownTop.length,
    };
  }

  it.each([1, 2, 3])('dirAtFar at rank %i', (rank) => {
    const fars = [0, 0.1, 0.2, 0.5, 1];
    const got = dirAtFar(nb, queryLabels, galleryLabels, fars, { rank });
    got.forEach((p, i) => {
      const want = naiveDir(fars[i], rank);
      expect(p.threshold).toBe(want.threshold);
      expect(p.dir).toBeCloseTo(want.dir, 15);
      expect(p.actualFar).toBeCloseTo(want.actualFar, 15);
      expect(p.actualFar).toBeLessThanOrEqual(fars[i]);
    });
    expect(got[4].dir).toBeGreaterThan(got[0].dir);
  });

  it('openSetCounts at a threshold', () => {
    const t = dirAtFar(nb, queryLabels, galleryLabels, 0.25).threshold;
    const got = openSetCounts(nb, queryLabels, galleryLabels, t);
    const knownQs = queries.map((_, q) => q).filter(known);
    const unknownQs = queries.map((_, q) => q).filter((q) => !known(q));
    const accepted = (q: number) => top1[q].score >= t;
    const right = (q: number) => galleryLabels[top1[q].index] === queryLabels[q];
    expect(got.known).toEqual({
      total: knownQs.length,
      correctAccepts: knownQs.filter((q) => accepted(q) && right(q)).length,
      falseAccepts: knownQs.filter((q) => accepted(q) && !right(q)).length,
      falseRejects: knownQs.filter((q) => !accepted(q)).length,
    });
    expect(got.unknown).toEqual({
      total: unknownQs.length,
      falseAccepts: unknownQs.filter(accepted).length,
      correctRejects: unknownQs.filter((q) => !accepted(q)).length,
    });
    expect(got.far).toBeLessThanOrEqual(0.25);
    expect(got.dir).toBe(dirAtFar(nb, queryLabels, galleryLabels, 0.25).dir);
    expect(got.known.falseAccepts + got.unknown.falseAccepts).toBeGreaterThan(0); // not a trivial case
  });

  it('thresholdAtFar on impostor scores alone', () => {
    const s = [0.9, 0.5, 0.5, 0.3, 0.1];
    expect(thresholdAtFar(s, 0)).toBe(Infinity);
    expect(thresholdAtFar(s, 0.2)).toBe(0.9);
    expect(thresholdAtFar(s, 0.5)).toBe(0.9); // 0.5 would accept 3 of 5
    expect(thresholdAtFar(s, 0.6)).toBe(0.5);
    expect(thresholdAtFar(s, 1)).toBe(0.1);
    expect(thresholdAtFar(unknownTop, 0.25)).toBeGreaterThanOrEqual(
      dirAtFar(nb, queryLabels, galleryLabels, 0.25).threshold,
    );
  });

  it('rejects bad neighbors and labels, naming them', () => {
    const bad = { ...nb, indices: nb.indices.slice(0, 5) };
    expect(() => cmc(bad, queryLabels, galleryLabels)).toThrow(
      /neighbors\.indices\.length must be queries \* k = 120/,
    );
    expect(() => cmc(nb, queryLabels.slice(1), galleryLabels)).toThrow(
      /queryLabels\.length must be 40/,
    );
    expect(() => cmc(nb, queryLabels, [...galleryLabels.slice(1), 0.5])).toThrow(
      /galleryLabels\[\d+\] must be an integer/,
    );
    const outOfRange = {
      ...nb,
      indices: Int32Array.from(nb.indices, (v, i) => (i === 7 ? 99 : v)),
    };
    expect(() => cmc(outOfRange, queryLabels, galleryLabels)).toThrow(/neighbors\.indices\[7\]/);
    expect(() =>
      dirAtFar(
        nb,
        queryLabels.map(() => 0),
        galleryLabels,
        0.1,
      ),
    ).toThrow(InvalidArgumentError);
    expect(() => dirAtFar(nb, queryLabels, galleryLabels, 0.1, { rank: 4 })).toThrow(
      /rank must be an integer >= 1 and <= 3/,
    );
    expect(() =>
      cmc(
        nb,
        queryLabels.map(() => 99),
        galleryLabels,
      ),
    ).toThrow(/at least one label that occurs/);
    expect(() => openSetCounts(nb, queryLabels, galleryLabels, NaN)).toThrow(/threshold/);
    expect(() => thresholdAtFar([0.1, NaN], 0.1)).toThrow(
      /impostorScores\[1\] must be a finite number/,
    );
  });
});
