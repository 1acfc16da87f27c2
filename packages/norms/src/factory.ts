import type { layers } from '@tensorflow/tfjs-layers';
import { checkOneOf, InvalidArgumentError } from '@face/core';
import { BatchNorm } from './layers/batch-norm';
import { GroupNorm } from './layers/group-norm';
import { InstanceNorm } from './layers/instance-norm';
import { LayerNorm } from './layers/layer-norm';
import type { BaseLayerArgs } from './layers/layer-support';

export type NormKind = 'batch' | 'layer' | 'group' | 'instance';
export const NORM_KINDS: readonly NormKind[] = ['batch', 'layer', 'group', 'instance'];

/** Options of every norm layer; each kind reads the ones that apply to it. */
export interface NormOptions extends BaseLayerArgs {
  /** Channel axis (batch, group, instance): -1 by default. */
  axis?: number;
  eps?: number;
  center?: boolean;
  scale?: boolean;
  /** batch only: 0.1 by default. */
  momentum?: number;
  /** batch only: true by default. */
  trackRunningStats?: boolean;
  /** group only, required. */
  groups?: number;
  /** layer only: `'all'` by default here (normalize each sample over all its features). */
  normalizedRank?: number | 'all';
}

/** A norm by configuration: a kind, or a kind with its options (e.g. `{ kind: 'group', groups: 8 }`). */
export type NormSpec = NormKind | ({ kind: NormKind } & NormOptions);

/**
 * Builds a normalization layer from its kind, so a backbone can swap normalization by
 * configuration. `options` override those inside a spec object.
 */
export function norm(spec: NormSpec, options: NormOptions = {}): layers.Layer {
  const { kind: rawKind, ...specOptions } = typeof spec === 'string' ? { kind: spec } : spec;
  const kind = checkOneOf('norm', 'kind', rawKind, NORM_KINDS);
  const { axis, eps, center, scale, momentum, trackRunningStats, groups, normalizedRank, ...base } =
    { ...specOptions, ...options };
  const common = { ...base, eps, center, scale };
  switch (kind) {
    case 'batch':
      return new BatchNorm({ ...common, axis, momentum, trackRunningStats });
    case 'group':
      if (groups === undefined) {
        throw new InvalidArgumentError(
          'norm',
          'options.groups',
          groups,
          "a group count for 'group'",
        );
      }
      return new GroupNorm({ ...common, axis, groups });
    case 'instance':
      return new InstanceNorm({ ...common, axis });
    case 'layer':
      return new LayerNorm({ ...common, normalizedRank: normalizedRank ?? 'all' });
  }
}
