import { InvalidArgumentError, Registry } from '@face/core';
import { ArcFace } from './arcface';
import type { MarginHead, MarginHeadConfig } from './base';
import { CombinedMargin } from './combined-margin';
import { CosFace } from './cosface';
import { NormalizedSoftmax } from './normalized-softmax';
import { SphereFace } from './sphereface';

/**
 * A margin head class as the registry takes it: a constructor from its config, the `className`
 * its serialized form stores and the `configKeys` it accepts (both static, as on `MarginHead`).
 */
export interface MarginHeadClass {
  new (config: MarginHeadConfig): MarginHead;
  readonly className: string;
  readonly configKeys: readonly string[];
}

/** What `getMarginHead(name)` returns. */
export interface MarginHeadEntry {
  readonly name: string;
  readonly className: string;
  /** Every option `create` accepts (embeddingDim, numClasses, seed, name and the head's own). */
  readonly configKeys: readonly string[];
  readonly cls: MarginHeadClass;
  create(config: MarginHeadConfig & Record<string, unknown>): MarginHead;
}

/**
 * The built-in heads under the field's names, in the order lists show them. One list here rather
 * than a call in each class's file: a bundler keeps this module whenever the registry is used,
 * whereas a class file imported for its side effect alone could be dropped (`sideEffects: false`).
 */
const BUILTIN = {
  cosine: NormalizedSoftmax,
  arcface: ArcFace,
  cosface: CosFace,
  sphereface: SphereFace,
  combined: CombinedMargin,
} as const;

type Builtin = typeof BUILTIN;
/** Names of the built-in margin heads. */
export type BuiltinMarginHeadName = keyof Builtin;
/** A registered margin head's name: a built-in one, or any name registered since. */
export type MarginHeadName = BuiltinMarginHeadName | (string & {});
/** A serialized class name ('ArcFace', ...): a registered class's static `className`. */
export type MarginHeadClassName = string;

/** A head's class and constructor options: JSON, for checkpoints and experiment configs. */
export type SerializedMarginHead =
  | {
      [K in BuiltinMarginHeadName]: {
        className: MarginHeadClassName;
        config: ConstructorParameters<Builtin[K]>[0];
      };
    }[BuiltinMarginHeadName]
  | { className: MarginHeadClassName; config: MarginHeadConfig };

const registry = new Registry<MarginHeadEntry>(
  'margin head',
  'getMarginHead',
  'registerMarginHead',
);

/**
 * Registers a margin head class under `name` (the spelling `--head` and `classifierHead` take);
 * its static `className` also resolves, so saved models load. One call per class:
 * `registerMarginHead('arcface', ArcFace)`.
 */
export function registerMarginHead(name: string, cls: MarginHeadClass): MarginHeadEntry {
  const fn = 'registerMarginHead';
  if (typeof cls !== 'function' || typeof cls.className !== 'string')
    throw new InvalidArgumentError(fn, 'cls', cls, 'a MarginHead subclass with a static className');
  if (!Array.isArray(cls.configKeys))
    throw new InvalidArgumentError(fn, 'cls.configKeys', cls.configKeys, 'an array of names');
  const entry: MarginHeadEntry = {
    name,
    className: cls.className,
    configKeys: cls.configKeys,
    cls,
    create: (config) => new cls(config),
  };
  return registry.register(name, entry, [cls.className]);
}

/** The entry of a head by name (or serialized class name); an unknown one lists the names. */
export function getMarginHead(name: MarginHeadName): MarginHeadEntry {
  return registry.get(name);
}

/** The registered names, in order: a live array that later registrations extend. */
export function marginHeadNames(): readonly string[] {
  return registry.names;
}

/** Calls `watch` for every registered head, now and later (lists derived from the registry). */
export function watchMarginHeads(watch: (name: string, entry: MarginHeadEntry) => void): void {
  registry.watch(watch);
}

for (const [name, cls] of Object.entries(BUILTIN)) registerMarginHead(name, cls);

/** `{ className, config }` of a head (weights and state travel separately). */
export function serializeMarginHead(head: MarginHead): SerializedMarginHead {
  return { className: head.className, config: head.getConfig() } as SerializedMarginHead;
}

/**
 * Builds a head from {@link serializeMarginHead}'s output (fresh weights: then setWeights). The
 * class name is looked up in the registry: a head registered by its user loads too.
 */
export function marginHeadFromConfig(serialized: SerializedMarginHead): MarginHead {
  const fn = 'marginHeadFromConfig';
  if (serialized === null || typeof serialized !== 'object') {
    throw new InvalidArgumentError(fn, 'serialized', serialized, '{ className, config }');
  }
  const { className, config } = serialized;
  const name = registry.resolve(className);
  if (name === undefined)
    throw new InvalidArgumentError(
      fn,
      'serialized.className',
      className,
      `a registered margin head (${registry.describe()} or their class names)`,
    );
  return registry.get(name).create(config as MarginHeadConfig & Record<string, unknown>);
}
