import type * as tfl from '@tensorflow/tfjs-layers';
import { checkInteger, InvalidArgumentError, ShapeError } from '@face/core';

/** Per-channel R, G, B values. */
export type Rgb = readonly [number, number, number];

/**
 * What images go through before a backbone, as JSON (so a model file can store it): after
 * resizing to the input size, pixels scaled to 0..1 become `(x - mean) / std` per channel.
 * InsightFace's `x / 127.5 - 1` is mean 0.5, std 0.5.
 */
export interface BackbonePreprocessing {
  normalization: { mean: Rgb; std: Rgb };
}

/** Which sizes a backbone accepts: exactly one, or the multiples of a stride from `min` up. */
export type SizeRule = { fixed: number } | { multipleOf: number; min: number };

/** Options every backbone takes. */
export interface BackboneOptions {
  /** Side of the square input. Default: the backbone's `inputSize`. */
  inputSize?: number;
  /** Default: the backbone's `embeddingSize`. */
  embeddingSize?: number;
  /** Seed of every initializer, for a reproducible model (ignored by pretrained backbones). */
  seed?: number;
}

/**
 * The options of each built-in backbone, by name. A package that registers a backbone adds its
 * entry here by declaration merging (`declare module '@face/layers' { interface
 * BackboneOptionsByName { 'my-net': MyNetOptions } }`), so `buildBackbone('my-net', ...)` is typed.
 */
export interface BackboneOptionsByName {
  'iresnet-tiny': BackboneOptions;
  iresnet18: BackboneOptions;
  iresnet34: BackboneOptions;
  iresnet50: BackboneOptions;
  iresnet100: BackboneOptions;
  mobilefacenet: BackboneOptions;
  'convnet-tiny': BackboneOptions;
}

/** Names whose options are known to the type system (the built-ins and merged ones). */
export type BackboneName = keyof BackboneOptionsByName;

/** Everything a tool needs to know about a backbone, all serializable. */
export interface BackboneFacts {
  description: string;
  /** Default side of the square input, in pixels. */
  inputSize: number;
  inputSizeRule: SizeRule;
  /** Default embedding size. */
  embeddingSize: number;
  embeddingSizeRule: SizeRule;
  /** Whether building it loads trained weights. */
  pretrained: boolean;
  preprocessing: BackbonePreprocessing;
  /** Options beyond `inputSize`, `embeddingSize` and `seed` that it takes, with what each means. */
  options: Readonly<Record<string, string>>;
}

/** What `build` receives: the checked sizes (defaults filled in) and the caller's other options. */
export type BackboneBuildArgs<O = object> = Omit<O, 'inputSize' | 'embeddingSize'> & {
  inputSize: number;
  embeddingSize: number;
  seed?: number;
};

/** A registered backbone: its facts and how to build it. `JSON.stringify` gives the facts. */
export interface BackboneEntry<O = object> extends Readonly<BackboneFacts> {
  build(args: BackboneBuildArgs<O>): tfl.LayersModel | Promise<tfl.LayersModel>;
}

/**
 * What `registerBackbone` takes: the default sizes and `build`; the rest defaults to any size
 * from 1, not pretrained, InsightFace's normalization, no extra options.
 */
export type BackboneDefinition<O = object> = Partial<BackboneFacts> &
  Pick<BackboneFacts, 'inputSize' | 'embeddingSize'> &
  Pick<BackboneEntry<O>, 'build'>;

/** A built backbone with the facts of its build. */
export interface BuiltBackbone {
  model: tfl.LayersModel;
  name: string;
  inputSize: number;
  embeddingSize: number;
  pretrained: boolean;
  preprocessing: BackbonePreprocessing;
}

/** InsightFace's preprocessing (`x / 127.5 - 1`), the default. */
export const INSIGHTFACE_PREPROCESSING: BackbonePreprocessing = {
  normalization: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
};

const ANY_SIZE: SizeRule = { multipleOf: 1, min: 1 };
const COMMON_OPTIONS = ['inputSize', 'embeddingSize', 'seed'];
const registry = new Map<string, BackboneEntry>();

/** The rule in words, for error messages: `150`, `a multiple of 16 from 16`, `an integer >= 1`. */
export function describeSizeRule(rule: SizeRule): string {
  if ('fixed' in rule) return String(rule.fixed);
  if (rule.multipleOf === 1) return `an integer >= ${rule.min}`;
  return `a multiple of ${rule.multipleOf} from ${rule.min}`;
}

function fitsRule(size: unknown, rule: SizeRule): boolean {
  if (typeof size !== 'number' || !Number.isInteger(size)) return false;
  if ('fixed' in rule) return size === rule.fixed;
  return size >= rule.min && size % rule.multipleOf === 0;
}

function checkRule(fn: string, argument: string, rule: unknown): SizeRule {
  const r = rule as Partial<{ fixed: number; multipleOf: number; min: number }> | null;
  const ok =
    typeof r === 'object' &&
    r !== null &&
    (r.fixed !== undefined
      ? Number.isInteger(r.fixed) && r.fixed >= 1
      : Number.isInteger(r.multipleOf) && r.multipleOf! >= 1 && Number.isInteger(r.min));
  if (!ok)
    throw new InvalidArgumentError(fn, argument, rule, '{ fixed: n } or { multipleOf: n, min: m }');
  return r.fixed !== undefined ? { fixed: r.fixed } : { multipleOf: r.multipleOf!, min: r.min! };
}

function checkPreprocessing(fn: string, p: unknown): BackbonePreprocessing {
  const n = (p as BackbonePreprocessing | null)?.normalization;
  const rgb = (v: unknown, positive: boolean) =>
    Array.isArray(v) &&
    v.length === 3 &&
    v.every((x) => typeof x === 'number' && Number.isFinite(x) && (!positive || x > 0));
  if (!n || !rgb(n.mean, false) || !rgb(n.std, true))
    throw new InvalidArgumentError(
      fn,
      'definition.preprocessing',
      p,
      '{ normalization: { mean: [r, g, b], std: [r, g, b] } } with finite means and positive stds',
    );
  return { normalization: { mean: [...n.mean] as Rgb, std: [...n.std] as Rgb } };
}

/**
 * Registers a backbone under `name`, in the style of tfjs's `registerClass`: afterwards
 * `buildBackbone(name)` builds it from any package. A name is registered once.
 */
export function registerBackbone<O = object>(
  name: string,
  definition: BackboneDefinition<O>,
): void {
  const fn = 'registerBackbone';
  if (typeof name !== 'string' || name.length === 0)
    throw new InvalidArgumentError(fn, 'name', name, 'a non-empty string');
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
  registry.set(name, Object.freeze(entry) as BackboneEntry);
}

/** The registered names, in registration order (the built-ins first). */
export function backboneNames(): string[] {
  return [...registry.keys()];
}

function entryOf(fn: string, name: unknown): BackboneEntry {
  const entry = typeof name === 'string' ? registry.get(name) : undefined;
  if (!entry) {
    const names = backboneNames()
      .map((n) => `'${n}'`)
      .join(', ');
    throw new InvalidArgumentError(fn, 'name', name, `a registered backbone: one of ${names}`);
  }
  return entry;
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
