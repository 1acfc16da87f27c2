import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import {
  DatasetError,
  formatLfwPairs,
  generatePairs,
  lfwImagePath,
  lfwPairIndices,
  parseLfwPairs,
  type FaceDataset,
} from '@face/data';

const labels = Array.from({ length: 12 }, (_, c) => new Array<number>(3 + (c % 4)).fill(c)).flat();

describe('generatePairs', () => {
  it('is balanced, correct, without repeats, and identity-disjoint across folds', () => {
    const pairs = generatePairs(labels, { pairsPerFold: 10, folds: 3, seed: 1 });
    expect(pairs).toHaveLength(60);
    const keys = new Set(pairs.map((p) => [p.first, p.second].sort((a, b) => a - b).join()));
    expect(keys.size).toBe(60);
    for (let f = 0; f < 3; f++) {
      const fold = pairs.filter((p) => p.fold === f);
      expect(fold.filter((p) => p.same)).toHaveLength(10);
      expect(fold.filter((p) => !p.same)).toHaveLength(10);
    }
    const foldOf = new Map<number, number>();
    for (const p of pairs) {
      expect(p.first).not.toBe(p.second);
      expect(labels[p.first] === labels[p.second]).toBe(p.same);
      for (const i of [p.first, p.second]) {
        const c = labels[i];
        if (foldOf.has(c)) expect(foldOf.get(c)).toBe(p.fold);
        foldOf.set(c, p.fold);
      }
    }
    expect(generatePairs(labels, { pairsPerFold: 10, folds: 3, seed: 1 })).toEqual(pairs);
  });

  it('refuses more same pairs than exist', () => {
    expect(() => generatePairs([0, 0, 1, 1], { pairsPerFold: 3 })).toThrow(/at most 2/);
    expect(() => generatePairs([0, 1], { folds: 2 })).toThrow(InvalidArgumentError);
  });
});

// A file in LFW's format: 2 folds of 2 matched + 2 mismatched pairs, CRLF and a trailing newline.
const lfwText = [
  '2\t2',
  'Abel_Pacheco\t1\t4',
  'Akhmed_Zakayev\t1\t3',
  'Abdel_Madi_Shabneh\t1\tDean_Barker\t1',
  'Abdel_Madi_Shabneh\t1\tGiancarlo_Fisichella\t1',
  'Vojislav_Kostunica\t4\t7',
  'Abdullah_Gul\t13\t14',
  'Abdul_Majeed_Shobokshi\t1\tCharles_Cope\t1',
  'Abdulaziz_Kamilov\t1\tAlan_Tudyk\t1',
  '',
].join('\r\n');

describe('LFW pairs.txt', () => {
  it('reads matched (3-field) and mismatched (4-field) lines with their folds', () => {
    const parsed = parseLfwPairs(lfwText);
    expect(parsed.folds).toBe(2);
    expect(parsed.pairsPerFold).toBe(2);
    expect(parsed.pairs).toHaveLength(8);
    expect(parsed.pairs[0]).toEqual({
      first: { name: 'Abel_Pacheco', number: 1 },
      second: { name: 'Abel_Pacheco', number: 4 },
      same: true,
      fold: 0,
    });
    expect(parsed.pairs[3]).toEqual({
      first: { name: 'Abdel_Madi_Shabneh', number: 1 },
      second: { name: 'Giancarlo_Fisichella', number: 1 },
      same: false,
      fold: 0,
    });
    expect(parsed.pairs[5].fold).toBe(1);
    expect(parsed.pairs[5].same).toBe(true);
  });

  it('round-trips through formatLfwPairs', () => {
    const parsed = parseLfwPairs(lfwText);
    const text = formatLfwPairs(parsed.pairs);
    expect(text).toBe(lfwText.replace(/\r\n/g, '\n'));
    expect(parseLfwPairs(text)).toEqual(parsed);
  });

  it('reads the one-number header of pairsDevTrain.txt', () => {
    const parsed = parseLfwPairs('1\nA\t1\t2\nA\t1\tB\t1\n');
    expect(parsed).toMatchObject({ folds: 1, pairsPerFold: 1 });
    expect(formatLfwPairs(parsed.pairs, { shortHeader: true })).toBe('1\nA\t1\t2\nA\t1\tB\t1\n');
  });

  it('names the line of a malformed file', () => {
    expect(() => parseLfwPairs('1\t1\nA\t1\nA\t1\tB\t1\n')).toThrow(DatasetError);
    expect(() => parseLfwPairs('1\t1\nA\t1\nA\t1\tB\t1\n')).toThrow(/pairs.txt:2.*3 fields/);
    expect(() => parseLfwPairs('1\t2\nA\t1\t2\nA\t1\tB\t1\n')).toThrow(/4 pairs, found 2/);
    expect(() => parseLfwPairs('x\n')).toThrow(/header/);
    expect(() => parseLfwPairs('1\t1\nA\t0\t2\nA\t1\tB\t1\n')).toThrow(/integer >= 1/);
  });

  it('refuses unbalanced folds on write', () => {
    const parsed = parseLfwPairs(lfwText);
    expect(() => formatLfwPairs(parsed.pairs.slice(1))).toThrow(InvalidArgumentError);
  });

  it('maps pairs to dataset indices by LFW path', () => {
    const sources = ['/lfw/A/A_0001.jpg', '/lfw/A/A_0002.jpg', '/lfw/B/B_0001.jpg'];
    const ds = { size: 3, source: (i: number) => sources[i] } as unknown as FaceDataset;
    expect(lfwImagePath({ name: 'A', number: 2 })).toBe('A/A_0002.jpg');
    const parsed = parseLfwPairs('1\nA\t1\t2\nA\t2\tB\t1\n');
    expect(lfwPairIndices(parsed.pairs, ds)).toEqual([
      { first: 0, second: 1, same: true, fold: 0 },
      { first: 1, second: 2, same: false, fold: 0 },
    ]);
    expect(() => lfwPairIndices(parseLfwPairs('1\nA\t1\t3\nA\t2\tB\t1\n').pairs, ds)).toThrow(
      /A\/A_0003.jpg/,
    );
  });
});
