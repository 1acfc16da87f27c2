import { FaceError } from '@face/core';

/**
 * A file that could not be turned into an image (truncated, not an image, unsupported format,
 * unreadable). Carries the path so a report can name the file.
 */
export class ImageDecodeError extends FaceError {
  override name = 'ImageDecodeError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`cannot decode image ${JSON.stringify(path)}: ${reason}`);
  }
}

/**
 * A problem met while listing a dataset: an unreadable folder, a symlink loop, an identity folder
 * with no images, a malformed list line. Carries the path (and line, for list files).
 */
export class DatasetError extends FaceError {
  override name = 'DatasetError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`dataset problem at ${JSON.stringify(path)}: ${reason}`);
  }
}

/**
 * A list that contradicts itself: one file under two labels. Refused whatever the error policy,
 * since no label can be chosen and the duplicate would leak the image across splits. `lines`
 * are the 1-based line numbers involved.
 */
export class ListConflictError extends DatasetError {
  override name = 'ListConflictError';
  constructor(
    path: string,
    reason: string,
    readonly lines: readonly number[],
  ) {
    super(path, reason);
  }
}

/** What to do with a bad file: `'throw'` stops at the first one, `'skip'` reports it and goes on. */
export type OnError = 'throw' | 'skip';

/** One skipped file, as kept in a dataset's or loader's report. */
export interface Problem {
  path: string;
  reason: string;
}
