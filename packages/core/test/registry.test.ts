import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Registry } from '../src';

describe('Registry', () => {
  it('keeps one spelling per name, resolves aliases, and lists names live', () => {
    const r = new Registry<number>('thing', 'getThing', 'registerThing');
    const names = r.names;
    r.register('batch-hard', 1, ['batchHard']);
    r.register('all', 2);
    expect(names).toEqual(['batch-hard', 'all']);
    expect(r.get('batchHard')).toBe(1);
    expect(r.resolve('batchHard')).toBe('batch-hard');
    expect(r.has('semi-hard')).toBe(false);
    const seen: string[] = [];
    r.watch((name) => seen.push(name));
    r.register('hard', 3);
    expect(seen).toEqual(['batch-hard', 'all', 'hard']);
  });

  it('refuses taken names and aliases, bad spellings, and unknown lookups, naming the choices', () => {
    const r = new Registry<number>('thing', 'getThing', 'registerThing');
    r.register('arcface', 1, ['ArcFace']);
    expect(() => r.register('ArcFace', 2)).toThrow(
      /registerThing: name must be a name not registered yet/,
    );
    expect(() => r.register('x', 2, ['arcface'])).toThrow(InvalidArgumentError);
    expect(() => r.register('1st', 2)).toThrow(/letters, digits/);
    expect(() => r.get('cosface', 'kind')).toThrow(/getThing: kind must be one of 'arcface'/);
  });
});
