import { InvalidArgumentError } from '@face/core';
import { metricLossNames, type MetricLossName } from '@face/losses';
import type { MetricLossSpec, MetricRecipeOptions } from './metric';
import type { MinerKind } from './pk';
import { METRIC_CENTER_LAMBDA } from './presets';

/**
 * Registered metric loss names joined by `+` (`'triplet'`, `'triplet+center'`,
 * `'contrastive+center'`), checked against @face/losses' `metricLossNames()`, each once.
 */
export function parseMetricLosses(text: string): MetricLossName[] {
  const fn = 'parseMetricLosses';
  const expected = () =>
    `registered metric losses joined by '+', each once (${metricLossNames().join(', ')})`;
  if (typeof text !== 'string') throw new InvalidArgumentError(fn, 'text', text, expected());
  const names = text.split('+').map((n) => n.trim());
  if (names.some((n) => !metricLossNames().includes(n)) || new Set(names).size !== names.length)
    throw new InvalidArgumentError(fn, 'text', text, expected());
  return names;
}

/** Settings of the metric terms a caller names; each goes to the terms it applies to. */
export interface MetricLossSettings {
  /** Triplet term: its miner and margin (defaults: the loss's). */
  miner?: MinerKind;
  margin?: number;
  /** Center term: its lambda. Default `METRIC_CENTER_LAMBDA` (0.01). */
  centerLambda?: number;
}

/** The loss options of `metricRecipe` for named terms. */
export type MetricLossOptions = Pick<MetricRecipeOptions, 'losses' | 'triplet' | 'center'>;

/**
 * `metricRecipe`'s loss options for registered metric losses by name (`parseMetricLosses`), each
 * at weight 1. Triplet and/or center alone use the recipe's `triplet` / `center` form, whose run
 * config (and so checkpoint fingerprint) is what runs of those names were always written with, so
 * they resume; any other combination is a `losses` list.
 */
export function metricLossOptions(
  names: readonly MetricLossName[],
  { miner, margin, centerLambda = METRIC_CENTER_LAMBDA }: MetricLossSettings = {},
): MetricLossOptions {
  const tripletOptions = {
    ...(miner !== undefined ? { miner } : {}),
    ...(margin !== undefined ? { margin } : {}),
  };
  if (names.every((n) => n === 'triplet' || n === 'center'))
    return {
      triplet: names.includes('triplet') ? tripletOptions : false,
      center: names.includes('center') ? { lambda: centerLambda } : false,
    };
  const losses: MetricLossSpec[] = names.map((kind) =>
    kind === 'triplet'
      ? { kind, options: tripletOptions }
      : kind === 'center'
        ? { kind, options: { lambda: centerLambda } }
        : { kind },
  );
  return { losses };
}
