import { checkLabels, InvalidArgumentError } from '@face/core';

/** Labels as a dataset or a plain array: what splits, samplers and pairs accept. */
export type LabelSource = ArrayLike<number> | { readonly labels: ArrayLike<number> };

/**
 * Reads and checks labels (core's `checkLabels`: integers >= 0, int32). Returns them as an Int32Array and the number of
 * classes (max label + 1).
 */
export function readLabels(
  fn: string,
  argument: string,
  source: LabelSource,
): { labels: Int32Array; numClasses: number } {
  const raw =
    source && typeof source === 'object' && 'labels' in source
      ? source.labels
      : (source as ArrayLike<number>);
  if (!raw || typeof raw.length !== 'number') {
    throw new InvalidArgumentError(fn, argument, source, 'an array of labels or a dataset');
  }
  checkLabels(fn, argument, raw);
  const labels = Int32Array.from(raw);
  let max = -1;
  for (let i = 0; i < labels.length; i++) if (labels[i] > max) max = labels[i];
  return { labels, numClasses: max + 1 };
}

/** Indices of each class's items, in index order: `byLabel[c]` lists the items labelled c. */
export function groupByLabel(labels: ArrayLike<number>, numClasses: number): number[][] {
  const groups: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) groups[labels[i]].push(i);
  return groups;
}

/** The labels whose group (from `groupByLabel`) has at least one item, ascending. */
export function presentLabels(groups: readonly (readonly number[])[]): number[] {
  const present: number[] = [];
  groups.forEach((g, c) => {
    if (g.length) present.push(c);
  });
  return present;
}
