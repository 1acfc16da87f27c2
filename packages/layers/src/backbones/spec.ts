import type * as tfl from '@tensorflow/tfjs-layers';
import { InvalidArgumentError } from '@face/core';

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

// What a definition states is checked once, at registration.
/** The rule in words, for error messages: `150`, `a multiple of 16 from 16`, `an integer >= 1`. */
export function describeSizeRule(rule: SizeRule): string {
  if ('fixed' in rule) return String(rule.fixed);
  if (rule.multipleOf === 1) return `an integer >= ${rule.min}`;
  return `a multiple of ${rule.multipleOf} from ${rule.min}`;
}

export function fitsRule(size: unknown, rule: SizeRule): boolean {
  if (typeof size !== 'number' || !Number.isInteger(size)) return false;
  if ('fixed' in rule) return size === rule.fixed;
  return size >= rule.min && size % rule.multipleOf === 0;
}

export function checkRule(fn: string, argument: string, rule: unknown): SizeRule {
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

export function checkPreprocessing(fn: string, p: unknown): BackbonePreprocessing {
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
