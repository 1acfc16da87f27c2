// What a saved face model is, as plain JSON (no Node, no tensors): the backbone by name, the
// preprocessing its images need, the embedding and the head. `face-model.json` (version 2) stores
// it; this file turns it back into the transform that reproduces the training run's evaluation
// preprocessing, in Node and in the browser alike.
import { InvalidArgumentError, ModelFileError, describeValue } from '@face/core';
import {
  transformFromSpec,
  type RegisteredTransformSpec,
  type SizeSpec,
  type Transform,
  type TransformSpec,
} from '@face/data';
import { backboneNames, getBackbone } from '@face/layers';
import type { JsonValue } from '@face/train';

export type Rgb = [number, number, number];

/**
 * What an image goes through before the backbone: the registered steps of `before` (when any),
 * `resize` (when set), the centre `crop` (when set), a bilinear resize to `size` x `size`
 * (nothing when the image is that size already), then pixels on 0..1 become `(x - mean) / std`
 * per channel.
 */
export interface FaceModelInput {
  /** Side of the square images the backbone takes. */
  size: number;
  /**
   * Steps of kinds other packages register with @face/data (`registerTransformKind`), first:
   * @face/align's `alignTransform` saves `{ kind: 'align.similarity', ... }`. Loading such a
   * model needs that package imported. Absent (not `[]`) when there are none, as in older files.
   */
  before?: RegisteredTransformSpec[];
  /** A first resize: `size` a number (the shorter side) or `[height, width]`. */
  resize: { size: SizeSpec; method: 'bilinear' | 'nearest' } | null;
  /** The centre crop (a side, or `[height, width]`), taken after `resize`. */
  crop: SizeSpec | null;
  normalization: { mean: Rgb; std: Rgb };
}

/**
 * What a model records of the data it trained on (face-model.json `training`, since the models
 * `face eval` keeps to unseen people for): the people it saw, and which it did not.
 */
export interface TrainingRecord {
  /** Identity names with images in the training split: the people the model saw. */
  identities: string[];
  /** Identities of the data the training split was cut from that it did not train on. */
  heldOut: string[];
  /** Synthetic training data (`SyntheticFaces`): its seed (a person is the seed and a number). */
  synthetic: { seed: number } | null;
}

/** A face model as JSON: enough to rebuild its preprocessing and head, and to name its backbone. */
export interface FaceModelSpec {
  /** The registered backbone (@face/layers) and the sizes it was built with. */
  backbone: { name: string; config: { inputSize: number; embeddingSize: number } };
  input: FaceModelInput;
  embedding: { size: number };
  /** `ClassifierHead.toJson()` (rebuilt by `classifierHeadFromJson`), or null. */
  head: JsonValue;
  /** Identity names of the head's classes, in class order (null without a head). */
  classNames: string[] | null;
  /** The training data's identities; absent in files saved without it (older ones). */
  training?: TrainingRecord;
}

/** InsightFace's normalization, the library's default (`normalize()`): mean = std = 0.5. */
export const DEFAULT_NORMALIZATION: FaceModelInput['normalization'] = {
  mean: [0.5, 0.5, 0.5],
  std: [0.5, 0.5, 0.5],
};

/** The evaluation preprocessing an input spec describes, as a @face/data transform spec. */
export function preprocessSpec(input: FaceModelInput): TransformSpec {
  const steps: TransformSpec[] = [...(input.before ?? [])];
  if (input.resize) steps.push({ kind: 'resize', ...input.resize });
  if (input.crop !== null) steps.push({ kind: 'centerCrop', size: input.crop });
  steps.push({ kind: 'resize', size: [input.size, input.size], method: 'bilinear' });
  steps.push({ kind: 'normalize', ...input.normalization });
  return { kind: 'compose', transforms: steps };
}

/**
 * The transform that prepares images for a model saved with `input`: the same numbers as the
 * training run's evaluation transform it was recorded from. Works in Node and in the browser.
 */
export function preprocessOf(input: FaceModelInput): Transform {
  return transformFromSpec(preprocessSpec(input));
}

/** A kind another package registered (`'align.similarity'`): prefixed, never a built-in's name. */
const isRegistered = (s: TransformSpec | undefined): s is RegisteredTransformSpec =>
  typeof s?.kind === 'string' && s.kind.includes('.');
const isSide = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1;
const sameSize = (s: SizeSpec, side: number) =>
  typeof s === 'number' ? s === side : s[0] === side && s[1] === side;

/**
 * Reads the input spec off an evaluation transform built from @face/data's saveable steps:
 * registered steps (`alignTransform`), an optional `resize`, an optional `centerCrop`, an optional
 * bilinear resize to `size`, then one `normalize` (composed in any nesting). A transform without a `spec` (a caller's own function)
 * or another order is refused: the model would be saved with preprocessing nobody can rebuild.
 */
export function inputSpecOf(
  fn: string,
  argument: string,
  transform: Transform,
  size: number,
): FaceModelInput {
  const refuse = (why: string): never => {
    throw new InvalidArgumentError(
      fn,
      argument,
      transform?.name ?? transform,
      `a transform a saved model can reproduce: registered steps (alignTransform), @face/data's resize, centerCrop, then normalize, composed (${why}); or pass the input spec explicitly (options.input)`,
    );
  };
  if (!transform?.spec) return refuse('this one has no spec');
  const steps: TransformSpec[] = [];
  const flatten = (s: TransformSpec) =>
    s.kind === 'compose' ? s.transforms.forEach(flatten) : steps.push(s);
  flatten(transform.spec);
  const last = steps.pop();
  if (last?.kind !== 'normalize') return refuse('it does not end with normalize');
  const final = steps[steps.length - 1];
  if (final?.kind === 'resize' && final.method === 'bilinear' && sameSize(final.size, size))
    steps.pop();
  const input: FaceModelInput = {
    size,
    resize: null,
    crop: null,
    normalization: { mean: [...last.mean], std: [...last.std] },
  };
  const before: RegisteredTransformSpec[] = [];
  while (isRegistered(steps[0])) before.push(steps.shift() as RegisteredTransformSpec);
  if (before.length) input.before = before;
  if (steps[0]?.kind === 'resize') {
    const first = steps.shift() as Extract<TransformSpec, { kind: 'resize' }>;
    input.resize = { size: first.size, method: first.method };
  }
  if (steps[0]?.kind === 'centerCrop') input.crop = (steps.shift() as { size: SizeSpec }).size;
  if (steps.length)
    refuse(
      `a ${steps[0].kind} step comes where resize, centerCrop or normalize can (registered steps come first)`,
    );
  return input;
}

/** Checks an input spec from a caller or a file; `fail(entry, expected)` throws. */
export function checkInputSpec(
  json: unknown,
  fail: (entry: string, expected: string, value: unknown) => never,
): FaceModelInput {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return fail('input', '{ size, resize, crop, normalization }', json);
  const j = json as Record<string, unknown>;
  if (!isSide(j.size)) fail('input.size', 'an integer >= 1', j.size);
  const n = j.normalization as Record<string, unknown> | null;
  if (n === null || typeof n !== 'object')
    fail('input.normalization', '{ mean: [r, g, b], std: [r, g, b] }', n);
  const r = j.resize as Record<string, unknown> | null;
  if (r !== null && (typeof r !== 'object' || Array.isArray(r)))
    fail('input.resize', "null or { size, method: 'bilinear' | 'nearest' }", r);
  if (j.crop === undefined) fail('input.crop', 'null or a size', j.crop);
  const before = checkBefore(j.before, fail);
  // The numbers are checked where the transform is built, with the step named.
  try {
    preprocessOf({ ...(j as unknown as FaceModelInput), before: undefined });
  } catch (err) {
    if (!(err instanceof InvalidArgumentError)) throw err;
    fail('input', `a buildable preprocessing (${err.message})`, json);
  }
  return {
    size: j.size as number,
    ...(before.length ? { before } : {}),
    resize: r && { size: r.size as SizeSpec, method: r.method as 'bilinear' | 'nearest' },
    crop: j.crop as SizeSpec | null,
    normalization: {
      mean: [...(n!.mean as Rgb)] as Rgb,
      std: [...(n!.std as Rgb)] as Rgb,
    },
  };
}

/**
 * `input.before`: absent, or registered steps each `transformFromSpec` rebuilds (the package that
 * registers the kind imported). A failure names the entry: `input.before[0].landmarks`.
 */
function checkBefore(
  json: unknown,
  fail: (entry: string, expected: string, value: unknown) => never,
): RegisteredTransformSpec[] {
  if (json === undefined) return [];
  if (!Array.isArray(json))
    return fail(
      'input.before',
      "an array of registered steps ({ kind: 'align.similarity', ... })",
      json,
    );
  return json.map((step: unknown, i) => {
    const at = `input.before[${i}]`;
    if (!isRegistered(step as TransformSpec))
      fail(
        `${at}.kind`,
        "a kind another package registered ('align.similarity'); built-in steps go in resize, crop, normalization",
        (step as { kind?: unknown } | null)?.kind,
      );
    try {
      transformFromSpec(step);
    } catch (err) {
      if (!(err instanceof InvalidArgumentError)) throw err;
      // transformFromSpec names `spec.<entry>`: the same entry under input.before[i].
      fail(err.argument.replace(/^spec/, at), err.expected, err.value);
    }
    // A deep copy: the spec keeps nothing the caller's object shares.
    return JSON.parse(JSON.stringify(step)) as RegisteredTransformSpec;
  });
}

/**
 * The preprocessing of a model saved before specs (face-model.json version 1): resized to its
 * `imageSize` (112 when unknown), normalized as its backbone's registry entry says (InsightFace's
 * for a name the registry does not know), which is what `face eval` did for those models.
 */
function inputOfVersion1(imageSize: number | null, backbone: unknown): FaceModelInput {
  const known = typeof backbone === 'string' && backboneNames().includes(backbone);
  const n = known ? getBackbone(backbone).preprocessing.normalization : DEFAULT_NORMALIZATION;
  return {
    size: imageSize ?? 112,
    resize: null,
    crop: null,
    normalization: { mean: [...n.mean] as Rgb, std: [...n.std] as Rgb },
  };
}

/** `face-model.json`'s fields a spec is read from (checked already, but for the version-2 ones). */
export interface SpecFields {
  version: 1 | 2;
  imageSize: number | null;
  embeddingDim: number;
  classNames: string[] | null;
  head: JsonValue;
  meta: Record<string, JsonValue>;
  backbone?: unknown;
  preprocessing?: unknown;
  training?: unknown;
}

const isNames = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Checks a training record from a caller or a file; `fail(entry, expected, value)` throws. */
export function checkTrainingRecord(
  json: unknown,
  fail: (entry: string, expected: string, value: unknown) => never,
): TrainingRecord {
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return fail('training', '{ identities, heldOut, synthetic }', json);
  const t = json as Record<string, unknown>;
  if (!isNames(t.identities))
    fail('training.identities', 'an array of identity names', t.identities);
  if (!isNames(t.heldOut)) fail('training.heldOut', 'an array of identity names', t.heldOut);
  const syn = t.synthetic as { seed?: unknown } | null;
  if (syn !== null && !(typeof syn === 'object' && Number.isSafeInteger(syn.seed)))
    fail('training.synthetic', 'null or { seed: an integer }', syn);
  return {
    identities: [...(t.identities as string[])],
    heldOut: [...(t.heldOut as string[])],
    synthetic: syn === null ? null : { seed: syn.seed as number },
  };
}

/**
 * The spec of a `face-model.json`: version 2 from its `backbone` and `preprocessing` (checked
 * here: a damaged or hostile file gets a ModelFileError naming the entry), version 1 with the
 * preprocessing `face eval` inferred for it.
 */
export function specOfFields(file: string, m: SpecFields): FaceModelSpec {
  let name: string;
  let input: FaceModelInput;
  if (m.version === 1) {
    name = typeof m.meta.backbone === 'string' ? m.meta.backbone : 'backbone';
    input = inputOfVersion1(m.imageSize, m.meta.backbone);
  } else {
    const fail = (entry: string, expected: string, value?: unknown): never => {
      const got = value === undefined ? '' : `, got ${describeValue(value)}`;
      throw new ModelFileError(file, entry, 'manifest', `must be ${expected}${got}`);
    };
    if (m.imageSize === null) fail('imageSize', 'an integer > 0 (version 2)', null);
    const b = m.backbone as Record<string, unknown> | null;
    if (!b || typeof b !== 'object' || typeof b.name !== 'string' || b.name === '')
      fail('backbone', '{ name: a non-empty string }', b);
    name = b!.name as string;
    const p = m.preprocessing;
    if (p === null || typeof p !== 'object' || Array.isArray(p))
      fail('preprocessing', '{ resize, crop, normalization }', p);
    input = checkInputSpec({ ...(p as object), size: m.imageSize }, (entry, expected, value) =>
      fail(entry.replace(/^input/, 'preprocessing'), expected, value),
    );
  }
  // Optional in version 2 (files saved before it was recorded load without it).
  const training =
    m.version === 2 && m.training !== undefined
      ? checkTrainingRecord(m.training, (entry, expected, value) => {
          throw new ModelFileError(
            file,
            entry,
            'manifest',
            `must be ${expected}, got ${describeValue(value)}`,
          );
        })
      : undefined;
  return {
    backbone: { name, config: { inputSize: input.size, embeddingSize: m.embeddingDim } },
    input,
    embedding: { size: m.embeddingDim },
    head: m.head,
    classNames: m.classNames,
    ...(training ? { training } : {}),
  };
}
