import { dirAtFar } from '@face/metrics';
import { searchGallery } from '@face/metrics/similarity';
import { expect, it } from 'vitest';
import { calibrate, openGallery } from '@face/gallery';
import { around, randomRows } from './helpers/drivers';

it('calibrate gives dirAtFar of the exact search, and its threshold meets the false alarm rate', async () => {
  const dim = 16;
  const centers = randomRows(40, dim, 3);
  const g = await openGallery(undefined, { model: { fingerprint: 'cal', dim } });
  // People 0..24 enrolled (2 templates); queries: 2 of each of the 40, so 30 of 80 are unknown.
  const gallery = centers.slice(0, 25).map((c, p) => around(c, 0.7, 2, 10 + p));
  for (const [p, t] of gallery.entries()) await g.enrol(`p${p}`, t, ['a', 'b']);
  const embeddings = centers.flatMap((c, p) => around(c, 0.7, 2, 500 + p));
  const identities = centers.flatMap((_, p) => [`p${p}`, `p${p}`]);
  const far = 0.1;
  const got = await calibrate(g, { embeddings, identities }, { far });

  const labels = gallery.flatMap((t, p) => t.map(() => p));
  const n = await searchGallery(embeddings, gallery.flat(), {
    k: 1,
    by: 'identity',
    galleryLabels: labels,
  });
  const ref = dirAtFar(
    n,
    identities.map((_, i) => (i < 50 ? i >> 1 : -1)),
    labels,
    far,
  );
  expect(got).toMatchObject({
    far,
    known: 50,
    unknown: 30,
    dir: ref.dir,
    actualFar: ref.actualFar,
  });
  expect(got.threshold).toBeCloseTo(ref.threshold, 5);

  const results = await g.identify(embeddings.slice(50), { threshold: got.threshold });
  const alarms = results.filter((r) => !r.unknown).length / results.length;
  expect(alarms).toBe(got.actualFar);
  expect(alarms).toBeLessThanOrEqual(far);
  await g.close();
});
