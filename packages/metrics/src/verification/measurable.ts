// Which false accept rates a test set can measure. A FAR of f means "f of the impostors are
// accepted"; with n impostor pairs (or unknown queries) the smallest non-zero rate the data can
// show is 1/n, so a target f < 1/n can only ever come out as "0 accepted", whatever the model.
// TAR or DIR read at such a target is the rate at the strictest threshold, not at FAR f: it is
// reported as not measurable (null, with the reason) instead of as a number.

/** Whether an operating point could be measured from the data, and if not, why. */
export interface Measurability {
  /** False when the data hold fewer than {@link negativesNeeded}`(far)` negatives. */
  measurable: boolean;
  /** Negatives the FAR target needs ({@link negativesNeeded}): what a table says is missing. */
  needed: number;
  /** Why not, e.g. "needs >= 1000 impostor pairs, has 60"; null when measurable. */
  reason: string | null;
}

/**
 * Negatives (impostor pairs, unknown queries) a FAR target needs before one false accept is a
 * rate of at most `far`: 1/far, rounded up (Infinity for a target of 0, which no finite test set
 * resolves). 1e-3 needs 1000.
 */
export function negativesNeeded(far: number): number {
  if (!(far > 0)) return Infinity;
  // 1/far in floating point can land a hair above an integer (1 / 1e-5 = 100000.00000000001).
  return Math.ceil(1 / far - 1e-9);
}

/**
 * The measurability rule: a FAR target `far` is measured by `negatives` impostor pairs (or
 * unknown queries, `what`) when `negatives >= negativesNeeded(far)`.
 */
export function farMeasurability(
  far: number,
  negatives: number,
  what = 'impostor pairs',
): Measurability {
  const needed = negativesNeeded(far);
  if (negatives >= needed) return { measurable: true, needed, reason: null };
  const need = Number.isFinite(needed) ? `>= ${needed}` : 'infinitely many';
  return { measurable: false, needed, reason: `needs ${need} ${what}, has ${negatives}` };
}

/**
 * `point` with its measurability: the rate `key` stays a number on the object (the rate at the
 * strictest threshold, for callers that want it anyway), and is written as null by
 * `JSON.stringify` when not measurable, so a report never prints an unmeasured rate as a number.
 */
export function withMeasurability<T extends object, K extends keyof T>(
  point: T,
  key: K,
  m: Measurability,
): T & Measurability {
  const out = { ...point, ...m };
  if (!m.measurable)
    Object.defineProperty(out, 'toJSON', {
      enumerable: false,
      value: () => ({ ...out, [key]: null }),
    });
  return out;
}
