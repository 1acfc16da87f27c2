import { describe, expect, it } from 'vitest';
import { Rng } from '@face/core';
import {
  dirAtFar,
  farMeasurability,
  negativesNeeded,
  tarAtFar,
  verificationMetrics,
  type Neighbors,
} from '@face/metrics';

/** `genuine` same-pair scores around 0.6 and `impostors` different-pair scores around 0.2. */
function pairs(genuine: number, impostors: number, seed = 1) {
  const rng = new Rng(seed);
  const scores = [
    ...Array.from({ length: genuine }, () => 0.6 + 0.3 * (rng.next() - 0.5)),
    ...Array.from({ length: impostors }, () => 0.2 + 0.3 * (rng.next() - 0.5)),
  ];
  const labels = [...Array<number>(genuine).fill(1), ...Array<number>(impostors).fill(0)];
  return { scores, labels };
}

describe('the measurability rule: a FAR of f needs >= 1/f negatives', () => {
  it('negativesNeeded is 1/f rounded up (Infinity for 0)', () => {
    expect(negativesNeeded(1e-3)).toBe(1000);
    expect(negativesNeeded(0.1)).toBe(10);
    // 1 / 1e-5 is 100000.00000000001 in floating point: still 1e5.
    expect(negativesNeeded(1e-5)).toBe(100000);
    expect(negativesNeeded(0.3)).toBe(4);
    expect(negativesNeeded(1)).toBe(1);
    expect(negativesNeeded(0)).toBe(Infinity);
  });

  it('farMeasurability says why not, with the count needed and the count there', () => {
    expect(farMeasurability(1e-3, 1000)).toEqual({ measurable: true, needed: 1000, reason: null });
    expect(farMeasurability(1e-3, 999)).toEqual({
      measurable: false,
      needed: 1000,
      reason: 'needs >= 1000 impostor pairs, has 999',
    });
    expect(farMeasurability(0.01, 5, 'unknown queries').reason).toBe(
      'needs >= 100 unknown queries, has 5',
    );
    expect(farMeasurability(0, 1e9).measurable).toBe(false);
  });
});

describe('verificationMetrics on 60 impostor pairs', () => {
  const { scores, labels } = pairs(60, 60);
  const m = verificationMetrics(scores, labels, { far: [1e-3, 0.01, 0.1] });

  it('TAR @ FAR=0.001 and 0.01 are not measurable; 0.1 (6 false accepts allowed) is', () => {
    expect(m.tarAtFar.map((p) => p.measurable)).toEqual([false, false, true]);
    expect(m.tarAtFar[0].reason).toBe('needs >= 1000 impostor pairs, has 60');
    expect(m.tarAtFar[1].reason).toBe('needs >= 100 impostor pairs, has 60');
    expect(m.tarAtFar[2].reason).toBeNull();
  });

  it('keeps the numbers of tarAtFar on the object, writes null + reason in JSON', () => {
    const raw = tarAtFar(scores, labels, [1e-3, 0.01, 0.1]);
    m.tarAtFar.forEach((p, i) => expect(p.tar).toBe(raw[i].tar));
    const json = JSON.parse(JSON.stringify(m)) as {
      tarAtFar: { far: number; tar: number | null; reason: string | null }[];
    };
    expect(json.tarAtFar[0]).toMatchObject({
      far: 1e-3,
      tar: null,
      measurable: false,
      reason: 'needs >= 1000 impostor pairs, has 60',
    });
    expect(json.tarAtFar[2].tar).toBe(raw[2].tar);
    expect(typeof json.tarAtFar[2].tar).toBe('number');
  });

  it('1000 impostor pairs measure FAR=0.001, 999 do not', () => {
    const at = (n: number) =>
      verificationMetrics(...(Object.values(pairs(10, n)) as [number[], number[]]), { far: [1e-3] })
        .tarAtFar[0].measurable;
    expect(at(1000)).toBe(true);
    expect(at(999)).toBe(false);
  });
});

describe('dirAtFar with few unknown queries', () => {
  // Gallery identities 0 and 1; queries: 0, 1 (known) and 3 unknown ones, k = 1.
  const galleryLabels = [0, 1];
  const queryLabels = [0, 1, 7, 8, 9];
  const nb: Neighbors = {
    queries: 5,
    k: 1,
    indices: Int32Array.from([0, 1, 0, 1, 0]),
    scores: Float64Array.from([0.9, 0.8, 0.3, 0.5, 0.1]),
  };

  it('DIR @ FAR=0.1 with 3 unknown queries is n/a (needs >= 10); FAR=0.5 is measured', () => {
    const [low, high] = dirAtFar(nb, queryLabels, galleryLabels, [0.1, 0.5]);
    expect(low).toMatchObject({
      measurable: false,
      reason: 'needs >= 10 unknown queries, has 3',
    });
    expect(high).toMatchObject({ measurable: true, reason: null, dir: 1 });
    const json = JSON.parse(JSON.stringify([low, high])) as { dir: number | null }[];
    expect(json.map((p) => p.dir)).toEqual([null, 1]);
    // The number is still on the object (the rate at the strictest threshold).
    expect(low.dir).toBe(1);
  });
});
