import type * as tfl from '@tensorflow/tfjs-layers';
import { checkInteger, InvalidArgumentError, Registry, ShapeError } from '@face/core';
import {
  checkPreprocessing,
  checkRule,
  describeSizeRule,
  fitsRule,
  INSIGHTFACE_PREPROCESSING,
  type BackboneDefinition,
  type BackboneEntry,
  type BackboneName,
  type BackboneOptions,
  type BackboneOptionsByName,
  type BuiltBackbone,
  type SizeRule,
} from './spec';

const ANY_SIZE: SizeRule = { multipleOf: 1, min: 1 };
const COMMON_OPTIONS = ['inputSize', 'embeddingSize', 'seed'];
const registry = new Registry<BackboneEntry>('backbone', 'getBackbone', 'registerBackbone');

/**
 * Registers a backbone under `name`, in the style of tfjs's `registerClass`: afterwards
 * `buildBackbone(name)` builds it from any package. A name is registered once.
 */
export function registerBackbone<O = object>(
  name: string,
  definition: BackboneDefinition<O>,
): void {
  const fn = 'registerBackbone';
  if (registry.has(name))
    throw new InvalidArgumentError(fn, 'name', name, 'a name not registered yet');
  if (typeof definition?.build !== 'function')
    throw new InvalidArgumentError(fn, 'definition.build', definition?.build, 'a function');
  const inputSizeRule = checkRule(
    fn,
    'definition.inputSizeRule',
    definition.inputSizeRule ?? ANY_SIZE,
  );
  const embeddingSizeRule = checkRule(
    fn,
    'definition.embeddingSizeRule',
    definition.embeddingSizeRule ?? ANY_SIZE,
  );
  for (const [key, rule] of [
    ['inputSize', inputSizeRule],
    ['embeddingSize', embeddingSizeRule],
  ] as const) {
    if (!fitsRule(definition[key], rule))
      throw new InvalidArgumentError(
        fn,
        `definition.${key}`,
        definition[key],
        describeSizeRule(rule),
      );
  }
  const options = { ...(definition.options ?? {}) };
  for (const key of Object.keys(options)) {
    if (COMMON_OPTIONS.includes(key))
      throw new InvalidArgumentError(
        fn,
        'definition.options',
        key,
        'names other than the common ones',
      );
  }
  const entry: BackboneEntry<O> = {
    description: definition.description ?? name,
    inputSize: definition.inputSize,
    inputSizeRule,
    embeddingSize: definition.embeddingSize,
    embeddingSizeRule,
    pretrained: definition.pretrained ?? false,
    preprocessing: checkPreprocessing(fn, definition.preprocessing ?? INSIGHTFACE_PREPROCESSING),
    options,
    build: definition.build,
  };
  // Registry.register checks the name's spelling (and, again, that it is free).
  registry.register(name, deepFreeze(entry) as BackboneEntry);
}

// The facts are shared by every caller: nobody may change them for the others.
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}

/** The registered names, in registration order (the built-ins first). */
export function backboneNames(): string[] {
  return [...registry.names];
}

function entryOf(fn: string, name: unknown): BackboneEntry {
  if (!registry.has(name))
    throw new InvalidArgumentError(
      fn,
      'name',
      name,
      `a registered backbone: one of ${registry.describe()}`,
    );
  return registry.get(name);
}

/** The registered backbone `name` (its facts and `build`); throws for an unknown name. */
export function getBackbone(name: string): BackboneEntry {
  return entryOf('getBackbone', name);
}

type OptionsOf<N extends string> = N extends BackboneName
  ? BackboneOptionsByName[N]
  : BackboneOptions & Record<string, unknown>;

/**
 * Builds the backbone registered as `name` (for a pretrained one, loads its weights). Sizes are
 * checked against its rules, and options it does not take are refused, before anything is built.
 */
export async function buildBackbone<N extends string>(
  name: N,
  options: OptionsOf<N> = {} as OptionsOf<N>,
): Promise<BuiltBackbone> {
  const entry = entryOf('buildBackbone', name);
  const fn = `buildBackbone('${name}')`;
  if (typeof options !== 'object' || options === null)
    throw new InvalidArgumentError(fn, 'options', options, 'an object');
  const given = options as BackboneOptions & Record<string, unknown>;
  const accepted = [...COMMON_OPTIONS, ...Object.keys(entry.options)];
  for (const [key, value] of Object.entries(given)) {
    if (value !== undefined && !accepted.includes(key))
      throw new InvalidArgumentError(
        fn,
        `options.${key}`,
        value,
        `unset: it takes ${accepted.join(', ')}`,
      );
  }
  const size = (key: 'inputSize' | 'embeddingSize', rule: SizeRule) => {
    const value = given[key] ?? entry[key];
    if (!fitsRule(value, rule))
      throw new InvalidArgumentError(fn, `options.${key}`, value, describeSizeRule(rule));
    return value;
  };
  const inputSize = size('inputSize', entry.inputSizeRule);
  const embeddingSize = size('embeddingSize', entry.embeddingSizeRule);
  if (given.seed !== undefined) checkInteger(fn, 'options.seed', given.seed);
  const model = await entry.build({ ...given, inputSize, embeddingSize });
  checkBuilt(fn, model, inputSize, embeddingSize);
  const { pretrained, preprocessing } = entry;
  return { model, name, inputSize, embeddingSize, pretrained, preprocessing };
}

/** The facts are promises to every tool that reads them: a build that breaks them is refused. */
function checkBuilt(fn: string, model: tfl.LayersModel, inputSize: number, embeddingSize: number) {
  const input = model?.inputs?.[0]?.shape;
  const output = model?.outputs?.[0]?.shape;
  const same = (shape: unknown[] | undefined, want: unknown[]) =>
    shape?.length === want.length && want.every((d, i) => d === null || shape[i] === d);
  if (same(input, [null, inputSize, inputSize, 3]) && same(output, [null, embeddingSize])) return;
  model?.dispose?.();
  const [got, expected] = same(input, [null, inputSize, inputSize, 3])
    ? [output, `output shape [batch, ${embeddingSize}]`]
    : [input, `input shape [batch, ${inputSize}, ${inputSize}, 3]`];
  throw new ShapeError(
    fn,
    'the built model',
    (got ?? []).map((d) => d ?? -1),
    expected,
  );
}
