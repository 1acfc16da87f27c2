import { FaceError } from '@face/core';

/**
 * A checkpoint written by another model or configuration: other variable names, shapes or dtypes,
 * another optimizer, or another user config. Nothing was loaded or overwritten.
 */
export class CheckpointMismatchError extends FaceError {
  override name = 'CheckpointMismatchError';
  constructor(
    readonly path: string,
    readonly differences: readonly string[],
  ) {
    const shown = differences.slice(0, 8).join('; ');
    const more = differences.length > 8 ? `; ... (${differences.length - 8} more)` : '';
    super(
      `checkpoint ${path} does not match this model and configuration (nothing was loaded or ` +
        `overwritten): ${shown}${more}`,
    );
  }
}

/** A checkpoint directory that cannot be read: missing files, wrong format, or bytes that fail their checksum. */
export class CheckpointCorruptError extends FaceError {
  override name = 'CheckpointCorruptError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`checkpoint ${path} cannot be loaded: ${reason}`);
  }
}

/** The loss (or gradient norm) became NaN or infinite: thrown by `nanGuard({ action: 'throw' })`. */
export class NonFiniteLossError extends FaceError {
  override name = 'NonFiniteLossError';
  constructor(
    readonly step: number,
    readonly epoch: number,
    readonly what: 'loss' | 'gradient norm',
    readonly value: number,
  ) {
    super(
      `non-finite ${what} at step ${step} (epoch ${epoch}): ${value}; the update was not applied`,
    );
  }
}
