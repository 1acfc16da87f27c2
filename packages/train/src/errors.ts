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

/** Who holds a run directory's lock (`<dir>/.lock`). */
export interface RunLockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
}

/** Another run (this process or another) holds the run directory's lock: nothing was written. */
export class RunLockedError extends FaceError {
  override name = 'RunLockedError';
  constructor(
    readonly path: string,
    readonly owner: RunLockOwner | null,
    detail = '',
  ) {
    const who = owner
      ? `process ${owner.pid} on ${owner.hostname}, started ${owner.startedAt}`
      : 'an unreadable lock file';
    super(
      `run directory is in use: ${path} is held by ${who}${detail ? ` (${detail})` : ''}; ` +
        'wait for that run to end, or use another --out. Nothing was written.',
    );
  }
}

/**
 * A run directory holds checkpoints (`step-*` folders) but none can be loaded. Resuming would start
 * over and overwrite them, so the run refuses; nothing was changed.
 */
export class NoValidCheckpointError extends FaceError {
  override name = 'NoValidCheckpointError';
  constructor(
    readonly directory: string,
    readonly problems: readonly { path: string; reason: string }[],
  ) {
    const shown = problems
      .slice(0, 4)
      .map((p) => `${p.path}: ${p.reason}`)
      .join('; ');
    const more = problems.length > 4 ? `; ... (${problems.length - 4} more)` : '';
    super(
      `no valid checkpoint in ${directory} (${problems.length} step folder(s), none loadable: ` +
        `${shown}${more}); refusing to resume or to start over (that would overwrite them). ` +
        'Nothing was changed.',
    );
  }
}
