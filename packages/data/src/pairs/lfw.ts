import { InvalidArgumentError, checkInteger } from '@face/core';
import { DatasetError } from '../errors';
import type { FaceDataset } from '../sources/dataset';
import type { Pair } from './generate';

/** An LFW image reference: the person's folder name and the picture's 1-based number. */
export interface LfwImage {
  name: string;
  number: number;
}

export interface LfwPair {
  first: LfwImage;
  second: LfwImage;
  same: boolean;
  fold: number;
}

export interface LfwPairs {
  folds: number;
  pairsPerFold: number;
  pairs: LfwPair[];
}

export interface ParseLfwPairsOptions {
  /** The file's name in error messages (`<source>:<line>`). Default 'pairs.txt'. */
  source?: string;
}

/**
 * Reads LFW's pairs.txt (Huang et al., "Labeled Faces in the Wild", 2007, View 2): a header
 * "folds<TAB>n" (or just "n" for one fold, as pairsDevTrain.txt), then per fold n matched lines
 * "name<TAB>i<TAB>j" and n mismatched lines "name1<TAB>i<TAB>name2<TAB>j". Spaces are accepted as
 * separators, CRLF line ends and a trailing blank line too. Errors (DatasetError) name the line,
 * including a matched pair of one image with itself and a mismatched pair of one person twice:
 * both would score as trivially right. `options.source` names the file in those errors.
 */
export function parseLfwPairs(text: string, options: ParseLfwPairsOptions = {}): LfwPairs {
  const fn = 'parseLfwPairs';
  if (typeof text !== 'string')
    throw new InvalidArgumentError(fn, 'text', text, 'the text of a pairs file');
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const { source = 'pairs.txt' } = options ?? {};
  if (typeof source !== 'string' || source === '')
    throw new InvalidArgumentError(fn, 'options.source', source, 'a non-empty file name');
  const fail = (line: number, reason: string) => new DatasetError(`${source}:${line}`, reason);
  const header = (lines[0] ?? '').trim().split(/\s+/);
  const nums = header.map(Number);
  if (
    !(header.length === 1 || header.length === 2) ||
    !nums.every((n) => Number.isInteger(n) && n > 0)
  ) {
    throw fail(
      1,
      `header must be "folds<TAB>pairsPerFold" or "pairsPerFold", got ${JSON.stringify(lines[0] ?? '')}`,
    );
  }
  const [folds, pairsPerFold] = header.length === 2 ? nums : [1, nums[0]];
  const expected = folds * 2 * pairsPerFold;
  if (lines.length - 1 !== expected) {
    throw fail(
      lines.length,
      `header announces ${folds} x 2 x ${pairsPerFold} = ${expected} pairs, found ${lines.length - 1} lines`,
    );
  }
  const pairs: LfwPair[] = [];
  for (let i = 0; i < expected; i++) {
    const lineNo = i + 2;
    const fields = lines[i + 1].trim().split(/\s+/);
    const fold = Math.floor(i / (2 * pairsPerFold));
    const same = i % (2 * pairsPerFold) < pairsPerFold;
    const number = (s: string) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1)
        throw fail(lineNo, `image number must be an integer >= 1, got ${JSON.stringify(s)}`);
      return n;
    };
    if (same) {
      if (fields.length !== 3)
        throw fail(lineNo, `matched pair must have 3 fields (name i j), got ${fields.length}`);
      if (number(fields[1]) === number(fields[2]))
        throw fail(
          lineNo,
          `matched pair compares image ${fields[1]} of ${fields[0]} with itself (a free positive): expected two different images`,
        );
      pairs.push({
        first: { name: fields[0], number: number(fields[1]) },
        second: { name: fields[0], number: number(fields[2]) },
        same,
        fold,
      });
    } else {
      if (fields.length !== 4)
        throw fail(
          lineNo,
          `mismatched pair must have 4 fields (name1 i name2 j), got ${fields.length}`,
        );
      if (fields[0] === fields[2])
        throw fail(
          lineNo,
          `mismatched pair names one person twice (${fields[0]}): expected two different people`,
        );
      pairs.push({
        first: { name: fields[0], number: number(fields[1]) },
        second: { name: fields[2], number: number(fields[3]) },
        same,
        fold,
      });
    }
  }
  return { folds, pairsPerFold, pairs };
}

/**
 * Writes pairs in LFW's format. Each fold must hold as many matched as mismatched pairs, the same
 * number in every fold; matched pairs come first in each fold. One fold writes the two-field
 * header "1<TAB>n" (pass `shortHeader` for pairsDevTrain.txt's "n").
 */
export function formatLfwPairs(
  pairs: readonly LfwPair[],
  options: { shortHeader?: boolean } = {},
): string {
  const fn = 'formatLfwPairs';
  if (!Array.isArray(pairs) || pairs.length === 0)
    throw new InvalidArgumentError(fn, 'pairs', pairs, 'a non-empty array of LFW pairs');
  const folds = Math.max(...pairs.map((p) => p.fold)) + 1;
  const byFold = Array.from({ length: folds }, () => ({
    same: [] as LfwPair[],
    diff: [] as LfwPair[],
  }));
  pairs.forEach((p, i) => {
    checkInteger(fn, `pairs[${i}].fold`, p.fold, { min: 0 });
    for (const img of [p.first, p.second]) {
      if (typeof img?.name !== 'string' || img.name === '' || /\s/.test(img.name)) {
        throw new InvalidArgumentError(
          fn,
          `pairs[${i}] name`,
          img?.name,
          'a non-empty name without whitespace',
        );
      }
      checkInteger(fn, `pairs[${i}] number`, img.number, { min: 1 });
    }
    if (p.same && p.first.name !== p.second.name) {
      throw new InvalidArgumentError(fn, `pairs[${i}]`, p, 'a matched pair of one name');
    }
    (p.same ? byFold[p.fold].same : byFold[p.fold].diff).push(p);
  });
  const n = byFold[0].same.length;
  byFold.forEach((f, k) => {
    if (f.same.length !== n || f.diff.length !== n) {
      throw new InvalidArgumentError(
        fn,
        'pairs',
        `fold ${k}: ${f.same.length} matched, ${f.diff.length} mismatched`,
        `${n} matched and ${n} mismatched pairs in every fold`,
      );
    }
  });
  const lines = [options.shortHeader && folds === 1 ? `${n}` : `${folds}\t${n}`];
  for (const f of byFold) {
    for (const p of f.same) lines.push(`${p.first.name}\t${p.first.number}\t${p.second.number}`);
    for (const p of f.diff)
      lines.push(`${p.first.name}\t${p.first.number}\t${p.second.name}\t${p.second.number}`);
  }
  return `${lines.join('\n')}\n`;
}

/** LFW's file layout: `name/name_0001.jpg`. */
export function lfwImagePath(image: LfwImage, extension = 'jpg'): string {
  return `${image.name}/${image.name}_${String(image.number).padStart(4, '0')}.${extension}`;
}

/**
 * Maps LFW pairs to dataset indices by file path (`source(i)` ending in `lfwImagePath`), for a
 * dataset read from an LFW folder. A missing image throws a DatasetError naming it.
 */
export function lfwPairIndices(
  pairs: readonly LfwPair[],
  dataset: FaceDataset,
  extension = 'jpg',
): Pair[] {
  const index = new Map<string, number>();
  for (let i = 0; i < dataset.size; i++) {
    const parts = dataset.source(i).split(/[\\/]/);
    if (parts.length >= 2) index.set(`${parts[parts.length - 2]}/${parts[parts.length - 1]}`, i);
  }
  const find = (img: LfwImage) => {
    const path = lfwImagePath(img, extension);
    const i = index.get(path);
    if (i === undefined)
      throw new DatasetError(path, 'an image of the pairs list is not in the dataset');
    return i;
  };
  return pairs.map((p) => ({
    first: find(p.first),
    second: find(p.second),
    same: p.same,
    fold: p.fold,
  }));
}
