import { checkInteger, InvalidArgumentError } from '@face/core';

/**
 * Zero padding of a convolution: a number p pads p rows/columns on every side (PyTorch's
 * `padding`, symmetric, so stride-2 layers match PyTorch exactly); `'same'` and `'valid'` are
 * TensorFlow's (`'same'` pads the extra row at the bottom/right when the total is odd).
 */
export type Padding = 'same' | 'valid' | number;

export function checkPadding(fn: string, padding: unknown): Padding {
  if (padding === 'same' || padding === 'valid') return padding;
  if (typeof padding === 'number') return checkInteger(fn, 'padding', padding, { min: 0 });
  throw new InvalidArgumentError(fn, 'padding', padding, "'same', 'valid' or an integer >= 0");
}

/** Output length along one spatial axis (null stays unknown). */
export function convOutputLength(
  size: number | null,
  kernelSize: number,
  strides: number,
  padding: Padding,
): number | null {
  if (size == null) return null;
  if (padding === 'same') return Math.ceil(size / strides);
  const p = padding === 'valid' ? 0 : padding;
  return Math.floor((size + 2 * p - kernelSize) / strides) + 1;
}
