import * as tf from '@tensorflow/tfjs-core';

/** Distinct tensors reachable in a returned value (a tensor, or arrays / objects holding them). */
function returnedTensors(value: unknown, seen = new Set<number>()): Set<number> {
  if (value instanceof tf.Tensor) {
    if (!value.isDisposed) seen.add(value.id);
  } else if (Array.isArray(value)) {
    for (const v of value) returnedTensors(v, seen);
  } else if (
    value &&
    typeof value === 'object' &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    for (const v of Object.values(value)) returnedTensors(v, seen);
  }
  return seen;
}

/**
 * Runs `fn` and asserts that the only tensors it left alive are the ones it returned:
 * whatever else it allocated, it (or tf.tidy) must have disposed. Returns what `fn` returned.
 */
export async function expectNoLeak<T>(fn: () => T | Promise<T>, what = 'fn'): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const kept = tf.memory().numTensors - before - returnedTensors(result).size;
  if (kept !== 0) {
    throw new Error(
      `${what} leaked ${kept} tensor(s) besides the ${returnedTensors(result).size} it returned`,
    );
  }
  return result;
}

/**
 * Runs `step` `steps` times after `warmup` runs and asserts tensor count and bytes stay flat:
 * loops that keep state (optimizer slots, running statistics) allocate it during warm-up only.
 */
export async function expectFlatMemory(
  step: (i: number) => unknown,
  {
    steps = 50,
    warmup = 2,
    what = 'loop',
  }: { steps?: number; warmup?: number; what?: string } = {},
): Promise<void> {
  for (let i = 0; i < warmup; i++) await step(i);
  const before = tf.memory();
  for (let i = 0; i < steps; i++) await step(warmup + i);
  const after = tf.memory();
  if (after.numTensors !== before.numTensors || after.numBytes !== before.numBytes) {
    throw new Error(
      `${what}: memory grew over ${steps} steps: ${before.numTensors} -> ${after.numTensors} tensors, ` +
        `${before.numBytes} -> ${after.numBytes} bytes`,
    );
  }
}
