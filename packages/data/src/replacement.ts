import { Rng } from '@face/core';
import { deriveSeed } from './seed';

/** How many other images a bad image's place tries (in `replacementCandidates` order) before it is dropped. */
const REPLACEMENT_TRIES = 8;

// Stream tag for deriveSeed, so the replacement draws never share numbers with augmentation.
const REPLACE_STREAM = 0x5eb1ace;

/**
 * The images that may take the place of bad image `index` at `position` of batch `batch` of
 * epoch `epoch`, in the order the loader tries them (the first that loads wins):
 * 1. other images of the same identity (labels and P x K layouts stay right), shuffled, those
 *    not already planned in the batch first (no duplicate when avoidable);
 * 2. if the identity has fewer than `REPLACEMENT_TRIES` others, random images of other identities.
 * At most `REPLACEMENT_TRIES`. A pure function of (labels, seed, epoch, batch, position, the
 * planned batch): a resumed run tries the same images in the same order.
 */
export function replacementCandidates(
  labels: Int32Array,
  sameIdentity: readonly number[],
  planned: readonly number[],
  {
    seed,
    epoch,
    batch,
    position,
  }: { seed: number; epoch: number; batch: number; position: number },
): number[] {
  const index = planned[position];
  const rng = new Rng(deriveSeed(seed, REPLACE_STREAM, epoch, batch, position));
  const inBatch = new Set(planned);
  const shuffled = rng.shuffle(sameIdentity.filter((i) => i !== index));
  const out = [
    ...shuffled.filter((i) => !inBatch.has(i)),
    ...shuffled.filter((i) => inBatch.has(i)),
  ].slice(0, REPLACEMENT_TRIES);
  const own = labels[index];
  for (let draws = REPLACEMENT_TRIES - out.length; draws > 0; draws--) {
    const j = rng.int(labels.length);
    if (labels[j] !== own && !out.includes(j)) out.push(j);
  }
  return out;
}
