import { InvalidArgumentError } from '@face/core';

/** Longest identity name and image source kept (characters). */
export const MAX_NAME_LENGTH = 256;
export const MAX_SOURCE_LENGTH = 4096;

/**
 * Checks embedding rows and writes each as a pgvector literal `[x1,...,xd]`. Each row must have
 * `dim` values, all finite as float32 (pgvector stores float32: 1e39 would become Infinity), and
 * not all zero (cosine similarity is undefined for a zero vector).
 */
export function vectorLiterals(
  fn: string,
  argument: string,
  rows: readonly ArrayLike<number>[],
  dim: number,
): string[] {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new InvalidArgumentError(fn, argument, rows, 'a non-empty array of embedding rows');
  }
  return rows.map((row, i) => vectorLiteral(fn, `${argument}[${i}]`, row, dim));
}

export function vectorLiteral(
  fn: string,
  argument: string,
  row: ArrayLike<number>,
  dim: number,
): string {
  if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
    throw new InvalidArgumentError(fn, argument, row, `an array of ${dim} numbers`);
  }
  if (row.length !== dim) {
    throw new InvalidArgumentError(
      fn,
      `${argument}.length`,
      row.length,
      `${dim} (the gallery model's embedding size)`,
    );
  }
  const parts = new Array<string>(dim);
  let zero = true;
  for (let j = 0; j < dim; j++) {
    const x = row[j];
    const f = Math.fround(x);
    if (typeof x !== 'number' || !Number.isFinite(f)) {
      throw new InvalidArgumentError(fn, `${argument}[${j}]`, x, 'a finite number (float32 range)');
    }
    if (f !== 0) zero = false;
    parts[j] = String(f);
  }
  if (zero)
    throw new InvalidArgumentError(
      fn,
      argument,
      'all zeros',
      'a non-zero vector (cosine similarity needs a length)',
    );
  return `[${parts.join(',')}]`;
}

/** Identity names and sources: non-empty text without NUL (PostgreSQL text cannot hold it). */
export function checkName(
  fn: string,
  argument: string,
  value: unknown,
  max = MAX_NAME_LENGTH,
): string {
  if (
    typeof value !== 'string' ||
    value.trim() === '' ||
    value.includes('\0') ||
    value.length > max
  ) {
    throw new InvalidArgumentError(
      fn,
      argument,
      value,
      `a non-empty string of at most ${max} characters without NUL`,
    );
  }
  return value;
}

/** A PostgreSQL array literal of text values (`{"a","b"}`), one parameter for a whole batch. */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
