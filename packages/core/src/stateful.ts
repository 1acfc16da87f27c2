/** A JSON-serializable value: what checkpoints store for RNG, data, callback and user state. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * The one protocol for state that is not a tensor and must survive a checkpoint: losses and heads
 * (step counters), callbacks (early-stopping counters), batch sources (a sampler's position),
 * layers (DropBlock's schedule step and mask generator) and user state all implement it, and the
 * trainer saves `getState()` and hands it back to `setState()` when resuming.
 *
 * `getState()` returns plain JSON (a fresh value or one the caller may keep: it is written to disk
 * as is); `setState()` restores it and throws a typed error when the value is not what it wrote.
 * Tensors do not belong here: they travel as weights or state variables.
 */
export interface Stateful {
  getState(): JsonValue;
  setState(state: JsonValue): void;
}

/** Whether `x` is an object (or function) with both `getState` and `setState` methods. */
export function isStateful(x: unknown): x is Stateful {
  if (x === null || (typeof x !== 'object' && typeof x !== 'function')) return false;
  const s = x as Partial<Record<keyof Stateful, unknown>>;
  return typeof s.getState === 'function' && typeof s.setState === 'function';
}
