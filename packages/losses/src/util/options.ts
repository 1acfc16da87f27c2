import { InvalidArgumentError } from '@face/core';

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

/** Asserts a boolean option; returns it (or the default when absent). */
export function checkBoolean(
  fn: string,
  argument: string,
  value: unknown,
  fallback: boolean,
): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(fn, argument, value, 'a boolean');
  return value;
}
