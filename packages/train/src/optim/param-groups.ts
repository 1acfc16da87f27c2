import { namedVariables, type NamedVariable, type VariablesInput } from '../variables';
import type { BaseOptimizerOptions, ParamGroupInput } from './optimizer';

/**
 * The usual rule for what not to decay: tensors of rank <= 1 (biases, norm scales and shifts),
 * as timm's `param_groups_weight_decay`.
 */
export const isNormOrBias = (v: NamedVariable): boolean => v.variable.rank <= 1;

/**
 * Two parameter groups: variables that get the optimizer's weight decay, and those `exclude`
 * picks (by default biases and normalization parameters), with weight decay 0. Either group may
 * be empty. Extra options (e.g. `lrScale`) apply to both groups.
 */
export function splitWeightDecay<O extends BaseOptimizerOptions>(
  variables: VariablesInput,
  {
    exclude = isNormOrBias,
    ...options
  }: { exclude?: (v: NamedVariable) => boolean; lrScale?: number } & Partial<O> = {},
): ParamGroupInput<O>[] {
  const all = namedVariables(variables, { fn: 'splitWeightDecay' });
  return [
    { ...options, variables: all.filter((v) => !exclude(v)) } as ParamGroupInput<O>,
    { ...options, variables: all.filter(exclude), weightDecay: 0 } as ParamGroupInput<O>,
  ];
}
