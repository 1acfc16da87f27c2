import { InvalidArgumentError, Rng, checkInteger } from '@face/core';
import type { JsonValue } from '../json';

/** Where an epoch's batches must start. */
export interface BatchPosition {
  epoch: number;
  /** Batches of this epoch already trained on: yield from this index. */
  batchIndex: number;
}

/**
 * A data source the trainer can resume mid-epoch. The contract that makes resume exact:
 *
 * 1. `batches({ epoch, batchIndex })` yields, in order, batches `batchIndex, batchIndex + 1, ...`
 *    of `epoch`, and batch `i` of epoch `e` is the same whatever `batchIndex` the iteration
 *    started from. The simplest way: derive the epoch's order from `(seed, epoch)` and any
 *    augmentation randomness of batch `i` from `(seed, epoch, i)`, never from a generator that
 *    runs across epochs or is advanced by prefetching.
 * 2. If the source has state beyond its configuration, it is `Stateful` (@face/core): `getState()`
 *    returns it as JSON describing the position *after the batches the trainer consumed* (not
 *    after batches a loader prefetched), and `setState()` restores it; the trainer saves it in
 *    checkpoints and restores it before resuming.
 * 3. The trainer disposes the tensors of each batch after its step (unless told otherwise), and
 *    calls the iterator's `return()` when it stops early: dispose prefetched batches there.
 */
export interface ResumableBatchSource<B> {
  batches(position: BatchPosition): AsyncIterable<B> | Iterable<B>;
  /** Batches per epoch when known (progress bars). */
  batchesPerEpoch?(epoch: number): number | undefined;
  /** The source's state (see 2. above); a `Stateful` source has both methods. */
  getState?(): JsonValue;
  setState?(state: JsonValue): void;
  /**
   * @deprecated Renamed `getState()` (the one `Stateful` protocol); still read for one version
   * when `getState` is absent.
   */
  state?(): JsonValue;
}

/**
 * A plain per-epoch iterable factory. It resumes by replaying and disposing the first
 * `batchIndex` batches of the epoch, which is exact only if `make(epoch)` is deterministic.
 */
export type EpochBatches<B> = (epoch: number) => AsyncIterable<B> | Iterable<B>;

export function isResumableSource<B>(x: unknown): x is ResumableBatchSource<B> {
  return (
    !!x && typeof x === 'object' && typeof (x as ResumableBatchSource<B>).batches === 'function'
  );
}

/** A seed for epoch `epoch` of a run seeded `seed` (golden-ratio mix, so neighbours differ). */
export function epochSeed(seed: number, epoch: number): number {
  return (seed ^ Math.imul(epoch + 1, 0x9e3779b1)) | 0;
}

export interface ShuffledBatchesOptions {
  seed?: number;
  shuffle?: boolean;
  /** Drop the last, smaller batch. */
  dropLast?: boolean;
}

/**
 * The reference {@link ResumableBatchSource}: `count` examples in batches of `batchSize`, in an
 * order drawn per epoch from `Rng(epochSeed(seed, epoch))`. `make(indices, info)` builds a batch
 * (tensors) from example indices; `info.rng` is seeded from (seed, epoch, batch index), so
 * augmentation drawn from it is resumable too.
 */
export function shuffledBatches<B>(
  count: number,
  batchSize: number,
  make: (indices: number[], info: { epoch: number; batchIndex: number; rng: Rng }) => B,
  { seed = 0, shuffle = true, dropLast = false }: ShuffledBatchesOptions = {},
): ResumableBatchSource<B> {
  const fn = 'shuffledBatches';
  checkInteger(fn, 'count', count, { min: 1 });
  checkInteger(fn, 'batchSize', batchSize, { min: 1 });
  checkInteger(fn, 'seed', seed);
  if (typeof make !== 'function')
    throw new InvalidArgumentError(fn, 'make', make, 'a function (indices, info) => batch');
  const perEpoch = dropLast ? Math.floor(count / batchSize) : Math.ceil(count / batchSize);
  if (perEpoch === 0)
    throw new InvalidArgumentError(
      fn,
      'batchSize',
      batchSize,
      `<= count (${count}) when dropLast is set`,
    );
  return {
    batchesPerEpoch: () => perEpoch,
    *batches({ epoch, batchIndex }) {
      const order = shuffle
        ? new Rng(epochSeed(seed, epoch)).permutation(count)
        : Array.from({ length: count }, (_, i) => i);
      for (let b = batchIndex; b < perEpoch; b++) {
        const rng = new Rng(epochSeed(epochSeed(seed, epoch), b));
        yield make(order.slice(b * batchSize, (b + 1) * batchSize), { epoch, batchIndex: b, rng });
      }
    },
  };
}
