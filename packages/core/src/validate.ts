import { InvalidArgumentError, ShapeError } from './errors';

export interface NumberBounds {
  min?: number;
  max?: number;
  /** Exclude `min` itself (e.g. a scale that must be > 0). */
  exclusiveMin?: boolean;
  /** Exclude `max` itself (e.g. a probability that must be < 1). */
  exclusiveMax?: boolean;
}

function boundsText({ min, max, exclusiveMin, exclusiveMax }: NumberBounds): string {
  const parts: string[] = [];
  if (min !== undefined) parts.push(`${exclusiveMin ? '>' : '>='} ${min}`);
  if (max !== undefined) parts.push(`${exclusiveMax ? '<' : '<='} ${max}`);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

function inBounds(value: number, b: NumberBounds): boolean {
  if (b.min !== undefined && (b.exclusiveMin ? value <= b.min : value < b.min)) return false;
  if (b.max !== undefined && (b.exclusiveMax ? value >= b.max : value > b.max)) return false;
  return true;
}

/** Asserts a finite number within bounds; returns it. */
export function checkNumber(
  fn: string,
  argument: string,
  value: unknown,
  bounds: NumberBounds = {},
): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !inBounds(value, bounds)) {
    throw new InvalidArgumentError(fn, argument, value, `a finite number${boundsText(bounds)}`);
  }
  return value;
}

/** Asserts an integer within bounds; returns it. */
export function checkInteger(
  fn: string,
  argument: string,
  value: unknown,
  bounds: NumberBounds = {},
): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || !inBounds(value, bounds)) {
    throw new InvalidArgumentError(fn, argument, value, `an integer${boundsText(bounds)}`);
  }
  return value;
}

/** Asserts `value` is one of `choices`; returns it typed. */
export function checkOneOf<T extends string>(
  fn: string,
  argument: string,
  value: unknown,
  choices: readonly T[],
): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(
      fn,
      argument,
      value,
      `one of ${choices.map((c) => `'${c}'`).join(', ')}`,
    );
  }
  return value as T;
}

/** Asserts a shape has the given rank (or one of several ranks). */
export function checkRank(
  fn: string,
  argument: string,
  shape: readonly number[],
  rank: number | readonly number[],
): void {
  const ranks = typeof rank === 'number' ? [rank] : rank;
  if (!ranks.includes(shape.length)) {
    throw new ShapeError(fn, argument, shape, `rank ${ranks.join(' or ')}`);
  }
}

/** The largest label any @face package accepts: labels are stored as int32 (`Int32Array`). */
export const MAX_LABEL = 0x7fffffff;

/**
 * Asserts integer class labels in [0, numClasses) (in [0, {@link MAX_LABEL}] without it): the
 * usual mistakes are a label equal to numClasses (1-based data), negative or fractional labels,
 * NaN, and labels too large for the Int32Array every package keeps them in. The one label check
 * of @face: data, losses and metrics call it.
 */
export function checkLabels(
  fn: string,
  argument: string,
  labels: ArrayLike<number>,
  numClasses?: number,
): void {
  const limit = numClasses ?? MAX_LABEL + 1;
  const expected =
    numClasses === undefined ? 'integers >= 0 (int32)' : `integers in [0, ${numClasses - 1}]`;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= limit) {
      throw new InvalidArgumentError(fn, `${argument}[${i}]`, y, expected);
    }
  }
}

/** Asserts a boolean; returns it, or `fallback` when the value is absent and a fallback is given. */
export function checkBoolean(
  fn: string,
  argument: string,
  value: unknown,
  fallback?: boolean,
): boolean {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(fn, argument, value, 'a boolean');
  return value;
}

/**
 * Validates an options object against the names a function knows: a misspelt option is an error,
 * never silently dropped (pytorch-metric-learning's **kwargs swallow typos; we do not).
 */
export function checkOptions<T extends object>(
  fn: string,
  options: T | undefined,
  known: readonly (keyof T & string)[],
): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidArgumentError(fn, 'options', options, 'an object');
  }
  for (const key of Object.keys(options)) {
    if (!(known as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(
        fn,
        'options',
        key,
        `free of unknown option names (known: ${known.join(', ')})`,
      );
    }
  }
  return options;
}
