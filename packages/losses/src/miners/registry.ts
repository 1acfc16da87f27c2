import type { Distance, DistanceKind } from '../distances';
import { Registry } from '@face/core';
import { allTripletsMiner } from './all';
import { batchHardMiner } from './batch-hard';
import { hardTripletsMiner } from './hard';
import { semiHardTripletsMiner } from './semi-hard';
import type { TripletMiner } from './types';

/** What a recipe knows when it builds a miner by name: the loss's distance and margin. */
export interface MinerContext {
  distance?: Distance | DistanceKind;
  /** The triplet loss's margin m: semi-hard mines up to it; the others ignore it. */
  lossMargin: number;
}

/** A miner by name: `create` builds it for a triplet loss. */
export interface MinerEntry {
  readonly name: string;
  create(context: MinerContext): TripletMiner;
}

const registry = new Registry<MinerEntry>('triplet miner', 'getMiner', 'registerMiner');

/**
 * Registers a miner under `name` (the spelling `--miner` takes), in one call:
 * `registerMiner('my-miner', ({ distance }) => myMiner({ distance }))`. `aliases` are older
 * spellings that still resolve.
 */
export function registerMiner(
  name: string,
  create: (context: MinerContext) => TripletMiner,
  aliases: readonly string[] = [],
): MinerEntry {
  return registry.register(name, { name, create }, aliases);
}

/** The entry of a miner by name (or alias); an unknown one lists the names. */
export function getMiner(name: MinerName): MinerEntry {
  return registry.get(name);
}

/** The registered names, in order: a live array that later registrations extend. */
export function minerNames(): readonly string[] {
  return registry.names;
}

// The built-ins, in the order lists show them. The aliases are the `type` the miners reported
// before their names were unified (a TripletMinerConfig saved then still resolves).
const BUILTIN = {
  'batch-hard': {
    create: ({ distance }: MinerContext) => batchHardMiner({ distance }),
    aliases: ['batchHard'],
  },
  'semi-hard': {
    create: ({ distance, lossMargin }: MinerContext) =>
      semiHardTripletsMiner({ distance, margin: lossMargin }),
    aliases: ['semihard'],
  },
  hard: { create: ({ distance }: MinerContext) => hardTripletsMiner({ distance }), aliases: [] },
  all: { create: ({ distance }: MinerContext) => allTripletsMiner({ distance }), aliases: [] },
} as const;
for (const [name, { create, aliases }] of Object.entries(BUILTIN))
  registerMiner(name, create, aliases);

/** Names of the built-in miners. */
export type BuiltinMinerName = keyof typeof BUILTIN;
/** A registered miner's name: a built-in one, or any name registered since. */
export type MinerName = BuiltinMinerName | (string & {});
