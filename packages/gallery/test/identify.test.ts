import { searchGallery } from '@face/metrics/similarity';
import { describe, expect, it } from 'vitest';
import type { Identification } from '@face/gallery';
import { around, randomRows, useDrivers } from './helpers/drivers';

const drivers = useDrivers();
const DIM = 24;
const model = { fingerprint: 'identify-test', dim: DIM };
// 30 people, 3 templates each around their center; queries: 20 of them again, 20 strangers.
const centers = randomRows(30, DIM, 7);
const templates = centers.map((c, p) => around(c, 0.6, 3, 100 + p));
const queries = [
  ...centers.slice(0, 20).map((c, p) => around(c, 0.6, 1, 900 + p)[0]),
  ...randomRows(20, DIM, 77),
];
const rows = templates.flat();
const labels = templates.flatMap((t, p) => t.map(() => p));

async function enrolled(d: (typeof drivers)[number]) {
  const g = await d.open(model);
  for (const [p, t] of templates.entries()) {
    await g.enrol(
      `p${p}`,
      t,
      t.map((_, i) => `p${p}/${i}.jpg`),
    );
  }
  return g;
}

/** Cosine similarity in float64, straight from its definition. */
function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe('identify', () => {
  it('ranks identities as searchGallery does (by identity, exact), with the same results from both drivers', async () => {
    const k = 5;
    const ref = await searchGallery(queries, rows, { k, by: 'identity', galleryLabels: labels });
    const results: Identification[][] = [];
    for (const d of drivers) {
      const g = await enrolled(d);
      results.push(await g.identify(queries, { k, batchSize: 16 }));
      await g.close();
    }
    expect(results[1]).toEqual(results[0]);
    results[0].forEach((r, q) => {
      expect(r.candidates.map((c) => c.identity)).toEqual(
        Array.from(ref.indices.subarray(q * k, (q + 1) * k), (i) => `p${labels[i]}`),
      );
      r.candidates.forEach((c, j) => expect(c.score).toBeCloseTo(ref.scores[q * k + j], 5));
    });
  });

  it.each(drivers)('mean aggregation is the mean cosine over the templates ($name)', async (d) => {
    const g = await enrolled(d);
    const [r] = await g.identify([queries[3]], { k: 30, aggregate: 'mean' });
    await g.close();
    const expected = templates
      .map((t, p) => ({
        identity: `p${p}`,
        score: t.reduce((s, x) => s + cosine(queries[3], x), 0) / t.length,
      }))
      .sort((a, b) => b.score - a.score);
    expect(r.candidates.map((c) => c.identity)).toEqual(expected.map((e) => e.identity));
    r.candidates.forEach((c, j) => expect(c.score).toBeCloseTo(expected[j].score, 5));
  });

  it.each(drivers)(
    'says unknown below the threshold, from the options or stored ($name)',
    async (d) => {
      const g = await enrolled(d);
      const [r] = await g.identify([queries[0]]);
      expect(r).toMatchObject({ identity: 'p0', unknown: false });
      const [above] = await g.identify([queries[0]], { threshold: r.score + 1e-6 });
      expect(above).toMatchObject({ identity: null, unknown: true });
      await g.setThreshold(r.score + 1e-6);
      expect((await g.identify([queries[0]]))[0].unknown).toBe(true);
      expect((await g.identify([queries[0]], { threshold: -1 }))[0].unknown).toBe(false);
      await g.close();
    },
  );

  it.each(drivers)(
    'removes identities and single templates; re-enrolling a source is a no-op ($name)',
    async (d) => {
      const g = await enrolled(d);
      expect(await g.enrol('p0', templates[0], ['p0/0.jpg', 'p0/1.jpg', 'p0/2.jpg'])).toEqual({
        added: 0,
        skipped: 3,
      });
      expect(await g.remove('p1', ['p1/0.jpg', 'nope.jpg'])).toBe(1);
      expect((await g.enrolledSources()).get('p1')).toEqual(new Set(['p1/1.jpg', 'p1/2.jpg']));
      expect(await g.remove('p0')).toBe(3);
      expect(await g.stats()).toMatchObject({ identities: 29, templates: 86 });
      const [r] = await g.identify([templates[0][0]], { k: 29 });
      expect(r.candidates.map((c) => c.identity)).not.toContain('p0');
      await g.close();
    },
  );

  it.each(drivers)(
    'HNSW finds the exact top-1 for most queries (recall@1 reported) ($name)',
    async (d) => {
      const g = await d.open(model);
      // 600 people of one template each: big enough that the graph is searched, not scanned.
      const people = randomRows(600, DIM, 11);
      await g.enrolStream(people.map((e, p) => ({ identity: `q${p}`, embedding: e, source: 's' })));
      const probes = people.slice(0, 100).map((c, p) => around(c, 0.8, 1, 5000 + p)[0]);
      const exact = await g.identify(probes, { search: 'exact' });
      await g.buildIndex({ m: 8, efConstruction: 32 });
      const recall = async (efSearch: number) => {
        const ann = await g.identify(probes, { efSearch });
        return ann.filter((r, q) => r.identity === exact[q].identity).length / probes.length;
      };
      const [r10, r40] = [await recall(10), await recall(40)];
      console.log(
        `HNSW recall@1 vs exact (${d.name}, 600 x ${DIM}-d, m 8, ef_construction 32): ef_search 10: ${r10}, 40: ${r40}`,
      );
      expect(r40).toBeGreaterThanOrEqual(0.9);
      expect(r40).toBeGreaterThanOrEqual(r10 - 0.05);
      // Scores stay exact: HNSW only chooses the candidates.
      const ann = await g.identify(probes, { efSearch: 40 });
      ann.forEach((r, q) => {
        if (r.identity === exact[q].identity) expect(r.score).toBe(exact[q].score);
      });
      expect((await g.stats()).index).toEqual({ m: 8, efConstruction: 32 });
      await g.dropIndex();
      await expect(g.identify(probes, { search: 'hnsw' })).rejects.toThrow(/buildIndex/);
      await g.close();
    },
  );
});
