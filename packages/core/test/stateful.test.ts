import { describe, expect, it } from 'vitest';
import { isStateful, Rng, type JsonValue, type Stateful } from '@face/core';

/** A counter with a generator: the shape of DropBlock's state (a step and an RNG state). */
class Counter implements Stateful {
  step = 0;
  readonly rng = new Rng(7);
  tick(): number {
    this.step += 1;
    return this.rng.nextUint32();
  }
  getState(): JsonValue {
    return { step: this.step, rng: this.rng.state() };
  }
  setState(state: JsonValue): void {
    const s = state as { step: number; rng: [number, number, number, number] };
    this.step = s.step;
    this.rng.setState(s.rng);
  }
}

describe('Stateful', () => {
  it('isStateful accepts objects, classes and functions with both methods', () => {
    expect(isStateful(new Counter())).toBe(true);
    expect(isStateful({ getState: () => null, setState: () => {} })).toBe(true);
    const fn = Object.assign(() => 0, { getState: () => 1, setState: () => {} });
    expect(isStateful(fn)).toBe(true);
  });

  it('isStateful rejects values missing either method or with non-function members', () => {
    for (const x of [
      null,
      undefined,
      0,
      'getState',
      {},
      { getState: () => null },
      { setState: () => {} },
      { getState: 1, setState: () => {} },
      { state: () => null, setState: () => {} },
      { save: () => null, load: () => {} },
    ]) {
      expect(isStateful(x), JSON.stringify(x) ?? String(x)).toBe(false);
    }
  });

  it('a state round trip through JSON resumes the same draws', () => {
    const a = new Counter();
    a.tick();
    a.tick();
    const saved = JSON.parse(JSON.stringify(a.getState())) as JsonValue;
    const expected = [a.tick(), a.tick()];
    const b = new Counter();
    b.setState(saved);
    expect([b.tick(), b.tick()]).toEqual(expected);
    expect(b.step).toBe(4);
  });
});
