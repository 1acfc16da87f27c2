import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@face/core';
import { BatchNorm, GroupNorm, InstanceNorm, LayerNorm, norm, NORM_KINDS } from '@face/norms';

describe('norm factory', () => {
  it('builds each kind with its options, from a kind or a spec', () => {
    const bn = norm('batch', { momentum: 0.2, name: 'bn' });
    expect(bn).toBeInstanceOf(BatchNorm);
    expect([(bn as BatchNorm).momentum, bn.name]).toEqual([0.2, 'bn']);
    const gn = norm({ kind: 'group', groups: 4, eps: 1e-3 }, { name: 'gn' });
    expect(gn).toBeInstanceOf(GroupNorm);
    expect([(gn as GroupNorm).groups, (gn as GroupNorm).eps, gn.name]).toEqual([4, 1e-3, 'gn']);
    expect(norm('instance')).toBeInstanceOf(InstanceNorm);
    const ln = norm('layer');
    expect(ln).toBeInstanceOf(LayerNorm);
    expect((ln as LayerNorm).normalizedRank).toBe('all');
    expect(NORM_KINDS).toEqual(['batch', 'layer', 'group', 'instance']);
  });

  it('names what is wrong', () => {
    expect(() => norm('weight' as never)).toThrow(InvalidArgumentError);
    expect(() => norm('weight' as never)).toThrow(/kind must be one of 'batch'/);
    expect(() => norm('group')).toThrow(/options.groups must be a group count/);
  });
});
