import { describe, expect, it } from 'vitest';
import {
  checkBoolean,
  checkInteger,
  checkOptions,
  checkLabels,
  checkNumber,
  checkOneOf,
  checkRank,
  InvalidArgumentError,
  ShapeError,
} from '@face/core';

describe('argument checks', () => {
  it('name the function, the argument, the value and what was expected', () => {
    expect(() => checkNumber('ArcFace', 'margin', Number.NaN, { min: 0 })).toThrow(
      'ArcFace: margin must be a finite number >= 0, got NaN',
    );
    expect(() => checkInteger('GroupNorm', 'groups', 3.5, { min: 1 })).toThrow(
      'GroupNorm: groups must be an integer >= 1, got 3.5',
    );
    expect(() => checkOneOf('norm', 'kind', 'batchy', ['batch', 'layer'])).toThrow(
      `norm: kind must be one of 'batch', 'layer', got "batchy"`,
    );
  });

  it('accept valid values and return them', () => {
    expect(checkNumber('f', 'p', 0.5, { min: 0, max: 1, exclusiveMax: true })).toBe(0.5);
    expect(checkInteger('f', 'k', 3, { min: 1 })).toBe(3);
    expect(checkOneOf('f', 'kind', 'layer', ['batch', 'layer'])).toBe('layer');
    expect(() => checkNumber('f', 'p', 1, { max: 1, exclusiveMax: true })).toThrow('< 1');
  });

  it('check ranks and labels', () => {
    expect(() => checkRank('BatchNorm', 'x', [2, 3], [4])).toThrow(ShapeError);
    expect(() => checkRank('BatchNorm', 'x', [2, 3], [4])).toThrow(
      'x must have rank 4, got shape [2, 3]',
    );
    expect(() => checkLabels('crossEntropy', 'labels', [0, 2, 5], 5)).toThrow(
      'crossEntropy: labels[2] must be integers in [0, 4], got 5',
    );
    expect(() => checkLabels('f', 'labels', [0, -1])).toThrow(InvalidArgumentError);
    expect(() => checkLabels('f', 'labels', [0, 1.5])).toThrow(InvalidArgumentError);
    expect(() => checkLabels('f', 'labels', [0, 1, 4], 5)).not.toThrow();
    // Labels live in Int32Arrays: one past int32 would wrap silently, so it is refused.
    expect(() => checkLabels('f', 'labels', [0, 2 ** 31 - 1])).not.toThrow();
    expect(() => checkLabels('f', 'labels', [0, 2 ** 31])).toThrow(
      'f: labels[1] must be integers >= 0 (int32), got 2147483648',
    );
  });
});

describe('option checks', () => {
  it('checkBoolean accepts booleans, applies a fallback and names bad values', () => {
    expect(checkBoolean('f', 'flag', true)).toBe(true);
    expect(checkBoolean('f', 'flag', undefined, false)).toBe(false);
    expect(() => checkBoolean('f', 'flag', 'yes')).toThrow('f: flag must be a boolean, got "yes"');
    expect(() => checkBoolean('f', 'flag', undefined)).toThrow(InvalidArgumentError);
  });

  it('checkOptions rejects misspelt option names instead of dropping them', () => {
    const known: ('scale' | 'margin')[] = ['scale', 'margin'];
    expect(
      checkOptions<{ scale?: number; margin?: number }>('ArcFace', { scale: 64 }, known),
    ).toEqual({
      scale: 64,
    });
    expect(checkOptions<{ scale?: number }>('ArcFace', undefined, ['scale'])).toEqual({});
    expect(() => checkOptions('ArcFace', { margn: 0.5 } as never, known)).toThrow(
      /options must be free of unknown option names \(known: scale, margin\), got "margn"/,
    );
    expect(() => checkOptions('ArcFace', [] as never, ['scale'])).toThrow(/must be an object/);
  });
});
