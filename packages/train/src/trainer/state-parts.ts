import { InvalidArgumentError, isStateful, type JsonValue, type Stateful } from '@face/core';
import type { Callback } from '../callbacks/callback';
import type { ResumableBatchSource } from './batch-source';

/**
 * The pre-{@link Stateful} shape of the trainer's `extraState` option.
 * @deprecated Implement `getState()`/`setState()` ({@link Stateful}); `save`/`load` are still
 * read for one version.
 */
export interface ExtraState {
  save(): JsonValue;
  load(state: JsonValue): void;
}

/**
 * The `extraState` option as {@link Stateful}: `getState`/`setState`, or the deprecated
 * `save`/`load` pair. Anything else is refused, so state meant for checkpoints is never dropped.
 */
export function extraStateOf(fn: string, value: unknown): Stateful | undefined {
  if (value === undefined) return undefined;
  if (isStateful(value)) return value;
  const legacy = value as Partial<Record<keyof ExtraState, unknown>> | null;
  if (legacy && typeof legacy.save === 'function' && typeof legacy.load === 'function') {
    const { save, load } = legacy as ExtraState;
    return { getState: () => save.call(value), setState: (s) => load.call(value, s) };
  }
  throw new InvalidArgumentError(
    fn,
    'extraState',
    value,
    'a Stateful object with getState() and setState(state)',
  );
}

/**
 * Refuses a callback with only one of `getState`/`setState`: its state would be saved and never
 * restored (or the reverse), and a resumed run would silently differ.
 */
export function checkCallbackState(fn: string, index: number, cb: Callback): void {
  const get = typeof cb.getState === 'function';
  const set = typeof cb.setState === 'function';
  if (get !== set) {
    throw new InvalidArgumentError(
      fn,
      `callbacks[${index}]`,
      cb.name,
      `both getState and setState (Stateful) or neither; it has only ${get ? 'getState' : 'setState'}`,
    );
  }
}

/** The source's state for a checkpoint: `getState()`, or the deprecated `state()`; else null. */
export function sourceState<B>(source: ResumableBatchSource<B> | null): JsonValue {
  if (!source) return null;
  if (typeof source.getState === 'function') return source.getState();
  if (typeof source.state === 'function') return source.state();
  return null;
}
