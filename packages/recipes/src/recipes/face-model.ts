import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import {
  InvalidArgumentError,
  ModelFileError,
  describeValue,
  errorWithPath,
  openModelFolder,
  requireObject,
  type ModelFolder,
} from '@face/core';
import type { Transform } from '@face/data';
import { loadModel, saveModel } from '@face/layers';
import type { JsonValue } from '@face/train';
import {
  DEFAULT_NORMALIZATION,
  checkInputSpec,
  inputSpecOf,
  preprocessOf,
  checkTrainingRecord,
  specOfFields,
  type FaceModelInput,
  type FaceModelSpec,
  type TrainingRecord,
} from './face-model-spec';
import { classifierHeadFromJson, type ClassifierHead } from './heads';

/**
 * `face-model.json`: what a saved face model is, beside `backbone/` and `head.bin`. Version 2
 * adds `backbone` and `preprocessing`; version 1 (without them) still loads, its preprocessing
 * inferred from `meta.backbone` as `face eval` did. `loadFaceModel` assembles a
 * {@link FaceModelSpec} from these fields (each fact stored once).
 */
export interface FaceModelManifest {
  format: 'face-model';
  version: 1 | 2;
  /** The backbone's registered name (version 2). */
  backbone?: { name: string };
  /** What images go through before the backbone, but the size (`imageSize`) (version 2). */
  preprocessing?: Omit<FaceModelInput, 'size'>;
  /** Side of the square input images. */
  imageSize: number | null;
  embeddingDim: number;
  /** Identity names of the head's classes, in class order (null without a head). */
  classNames: string[] | null;
  /** `ClassifierHead.toJson()`, or null (metric-learning models have no head). */
  head: JsonValue;
  headWeights: { name: string; shape: number[]; offset: number; byteLength: number }[];
  headState: JsonValue;
  /** Free-form: recipe, backbone name, training data... */
  meta: Record<string, JsonValue>;
  /** The people it trained on (version 2; absent in files saved before it was recorded). */
  training?: TrainingRecord;
}

export const FACE_MODEL_FILE = 'face-model.json';

/** A model for embedding and classifying faces: the backbone and, optionally, its trained head. */
export interface FaceModel {
  backbone: LayersModel;
  head: ClassifierHead | null;
  manifest: FaceModelManifest;
  /** What the model is (for a version-1 file: its preprocessing as `face eval` inferred it). */
  spec: FaceModelSpec;
  /**
   * The evaluation preprocessing it was saved with, ready to use: resize/crop to the input size,
   * then its normalization (`preprocessOf(spec.input)`), on 0..255 images of any size.
   */
  preprocess: Transform;
}

const fs = () => import('node:fs/promises');

/** Temp folders of saves running in this process (their leftovers are not leftovers yet). */
const savesInProgress = new Set<string>();

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** `<dir>.tmp-<pid>-*` and `<dir>.old-<pid>-*` siblings of a model folder, with their pid. */
async function modelSiblings(
  clean: string,
): Promise<{ path: string; kind: 'tmp' | 'old'; pid: number }[]> {
  const f = await fs();
  const i = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\'));
  const parent = i < 0 ? '.' : clean.slice(0, i) || '/';
  const base = clean.slice(i + 1);
  const names = await f.readdir(parent).catch(() => [] as string[]);
  return names.flatMap((n) => {
    const m = /^\.(tmp|old)-(\d+)(-.*)?$/.exec(n.startsWith(base) ? n.slice(base.length) : '');
    return m ? [{ path: `${parent}/${n}`, kind: m[1] as 'tmp' | 'old', pid: Number(m[2]) }] : [];
  });
}

/**
 * Where a reader finds the model saved in `dir`: `dir` itself, or, while a save is between moving
 * the old model aside and renaming the new one in (or was killed there), that complete aside copy.
 * Read-only: the next {@link saveFaceModel} into `dir` puts things back in order.
 */
export async function readableFaceModelDir(dir: string): Promise<string> {
  const f = await fs();
  const clean = dir.replace(/[\\/]+$/, '');
  const complete = async (p: string) =>
    !!(await f.stat(`${p}/${FACE_MODEL_FILE}`).catch(() => null));
  if (await complete(clean)) return clean;
  for (const s of (await modelSiblings(clean)).filter((x) => x.kind === 'old').reverse())
    if (await complete(s.path)) return s.path;
  return clean;
}

/**
 * Puts a model folder back in order after an interrupted save: a missing `dir` gets its complete
 * aside copy back, and temp/aside leftovers of processes that are gone are deleted.
 */
async function recoverModelDir(clean: string): Promise<void> {
  const f = await fs();
  const aside = await readableFaceModelDir(clean);
  if (aside !== clean && !(await f.stat(clean).catch(() => null))) await f.rename(aside, clean);
  for (const s of await modelSiblings(clean)) {
    const ours = s.pid === process.pid;
    if ((ours && !savesInProgress.has(s.path)) || (!ours && !pidAlive(s.pid)))
      await f.rm(s.path, { recursive: true, force: true });
  }
}

/**
 * Saves a trained model to `dir` (Node): `backbone/` (tfjs-layers `model.json` + `weights.bin`,
 * loadable by `tf.loadLayersModel` too), `head.bin` (float32 head weights) and `face-model.json`.
 * Written into a temporary sibling directory, then swapped in: the old model is moved aside, the
 * new one renamed in, the old one deleted. A reader never sees half a model; in the instant
 * between the two renames (or after a kill there) {@link readableFaceModelDir} finds the aside
 * copy, and the next save restores or cleans up what an interrupted one left.
 */
export async function saveFaceModel(
  dir: string,
  {
    backbone,
    head = null,
    classNames,
    meta = {},
    input,
    backboneName,
    training,
  }: {
    backbone: LayersModel;
    head?: ClassifierHead | null;
    classNames?: readonly string[];
    meta?: Record<string, JsonValue>;
    /**
     * The preprocessing its images need: an input spec, or the evaluation transform to read it
     * from (built from @face/data's saveable steps; a transform without a `spec` is refused).
     * Default: the library's, `normalize()` at the backbone's input size.
     */
    input?: FaceModelInput | Transform;
    /** The backbone's registered name. Default `meta.backbone`, else `backbone.name`. */
    backboneName?: string;
    /**
     * The people it trained on (`trainingRecordOf(train)`), which `face eval` keeps out of its
     * evaluation by default. Recipes record it; without it, eval warns that it cannot tell.
     */
    training?: TrainingRecord;
  },
): Promise<void> {
  const fn = 'saveFaceModel';
  if (typeof dir !== 'string' || dir === '')
    throw new InvalidArgumentError(fn, 'dir', dir, 'a directory path');
  if (!backbone || typeof backbone.save !== 'function')
    throw new InvalidArgumentError(fn, 'backbone', backbone, 'a tfjs-layers model');
  const spec = faceModelSpecOf(fn, { backbone, head, classNames, meta, input, backboneName });
  const trained =
    training === undefined
      ? undefined
      : checkTrainingRecord(training, (entry, expected, value) => {
          throw new InvalidArgumentError(fn, entry, value, expected);
        });
  const f = await fs();
  const clean = dir.replace(/[\\/]+$/, '');
  await recoverModelDir(clean);
  const temp = `${clean}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  savesInProgress.add(temp);
  await f.mkdir(temp, { recursive: true });
  // A failed write on an open file (a full disk) names no file: say which.
  const write = (path: string, data: string | Uint8Array) =>
    f.writeFile(path, data).catch((err: unknown) => Promise.reject(errorWithPath(err, path)));
  try {
    await saveModel(backbone, `${temp}/backbone`);
    const weights: FaceModelManifest['headWeights'] = [];
    const chunks: Uint8Array[] = [];
    let offset = 0;
    for (const { name, variable } of head?.variables ?? []) {
      const bytes = new Uint8Array((await variable.data()).slice().buffer);
      weights.push({ name, shape: [...variable.shape], offset, byteLength: bytes.byteLength });
      chunks.push(bytes);
      offset += bytes.byteLength;
    }
    const bin = new Uint8Array(offset);
    chunks.reduce((at, c) => (bin.set(c, at), at + c.byteLength), 0);
    await write(`${temp}/head.bin`, bin);
    const { size, ...preprocessing } = spec.input;
    const manifest: FaceModelManifest = {
      format: 'face-model',
      version: 2,
      backbone: { name: spec.backbone.name },
      imageSize: size,
      preprocessing,
      embeddingDim: spec.embedding.size,
      classNames: spec.classNames,
      head: spec.head,
      headWeights: weights,
      headState: head?.getState() ?? null,
      meta,
      ...(trained ? { training: trained } : {}),
    };
    await write(`${temp}/${FACE_MODEL_FILE}`, `${JSON.stringify(manifest, null, 2)}\n`);
    // Replace an older model: move it aside, move the new one in, then delete the old one.
    const aside = `${clean}.old-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    savesInProgress.add(aside);
    let moved = false;
    try {
      await f.rename(clean, aside);
      moved = true;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
    }
    try {
      await f.rename(temp, clean);
    } catch (err) {
      if (moved) await f.rename(aside, clean).catch(() => {});
      throw err;
    } finally {
      savesInProgress.delete(aside);
    }
    if (moved) await f.rm(aside, { recursive: true, force: true });
  } catch (err) {
    await f.rm(temp, { recursive: true, force: true });
    throw err;
  } finally {
    savesInProgress.delete(temp);
  }
}

/** The spec `saveFaceModel` writes; a preprocessing it cannot record is refused before any write. */
function faceModelSpecOf(
  fn: string,
  o: {
    backbone: LayersModel;
    head: ClassifierHead | null;
    classNames?: readonly string[];
    meta: Record<string, JsonValue>;
    input?: FaceModelInput | Transform;
    backboneName?: string;
  },
): FaceModelSpec {
  const inShape = o.backbone.inputs[0].shape;
  const outShape = o.backbone.outputs[0].shape;
  const side = inShape[1] === inShape[2] ? inShape[1] : null;
  const embeddingSize = outShape[outShape.length - 1] as number;
  let input: FaceModelInput;
  if (o.input === undefined || typeof (o.input as Transform).apply === 'function') {
    if (typeof side !== 'number')
      throw new InvalidArgumentError(
        fn,
        'input',
        o.input,
        `an input spec { size, resize, crop, normalization }: the backbone's input [${inShape.join(', ')}] is not a fixed square`,
      );
    input =
      o.input === undefined
        ? { size: side, resize: null, crop: null, normalization: DEFAULT_NORMALIZATION }
        : inputSpecOf(fn, 'input', o.input as Transform, side);
  } else {
    input = checkInputSpec(o.input, (entry, expected, value) => {
      throw new InvalidArgumentError(fn, entry, value, expected);
    });
    if (side !== null && input.size !== side)
      throw new InvalidArgumentError(
        fn,
        'input.size',
        input.size,
        `the backbone's input size ${side}`,
      );
  }
  const name =
    o.backboneName ?? (typeof o.meta.backbone === 'string' ? o.meta.backbone : o.backbone.name);
  return {
    backbone: { name, config: { inputSize: input.size, embeddingSize } },
    input,
    embedding: { size: embeddingSize },
    head: o.head?.toJson() ?? null,
    classNames: o.head ? [...(o.classNames ?? [])] : null,
  };
}

/** Product of a shape's dimensions, or NaN when one is not an integer >= 0. */
const elements = (shape: unknown): number =>
  Array.isArray(shape) && shape.length <= 8 && shape.every((d) => Number.isSafeInteger(d) && d >= 0)
    ? (shape as number[]).reduce((a, b) => a * b, 1)
    : NaN;

/** Checks `face-model.json`'s fields (a hostile or damaged file gets a ModelFileError). */
function checkFaceModelManifest(
  file: string,
  json: unknown,
): FaceModelManifest & { spec: FaceModelSpec } {
  const m = requireObject(file, null, json);
  const bad = (entry: string, expected: string): never => {
    throw new ModelFileError(file, entry, 'manifest', `must be ${expected}`);
  };
  if (m.format !== 'face-model' || (m.version !== 1 && m.version !== 2))
    bad('format', "'face-model' with version 1 or 2 (not a face model folder?)");
  const isDim = (v: unknown) => Number.isSafeInteger(v) && (v as number) > 0;
  if (!isDim(m.embeddingDim)) bad('embeddingDim', 'an integer > 0');
  if (m.imageSize !== null && !isDim(m.imageSize)) bad('imageSize', 'null or an integer > 0');
  if (
    m.classNames !== null &&
    !(Array.isArray(m.classNames) && m.classNames.every((c) => typeof c === 'string'))
  )
    bad('classNames', 'null or an array of strings');
  if (m.head !== null) requireObject(file, 'head', m.head);
  if (!Array.isArray(m.headWeights)) bad('headWeights', 'an array');
  (m.headWeights as unknown[]).forEach((w, i) => {
    const r = requireObject(file, `headWeights[${i}]`, w);
    if (typeof r.name !== 'string' || Number.isNaN(elements(r.shape)))
      bad(`headWeights[${i}]`, '{ name, shape, offset, byteLength }');
  });
  requireObject(file, 'meta', m.meta);
  const spec = specOfFields(file, m as unknown as FaceModelManifest);
  return { ...(m as unknown as FaceModelManifest), spec };
}

/**
 * The spec of a parsed `face-model.json` of either version (version 1: with the preprocessing
 * `face eval` inferred for it), checked: what a browser needs, with `preprocessOf(spec.input)`,
 * beside `tf.loadLayersModel` of `backbone/model.json`. `file` names the file in errors.
 */
export function faceModelSpecFromJson(json: unknown, file = FACE_MODEL_FILE): FaceModelSpec {
  return checkFaceModelManifest(file, json).spec;
}

/**
 * The spec of the model saved in `dir` (Node), from its face-model.json alone: what it is and
 * what it trained on, without loading its weights. Read as {@link loadFaceModel} reads it.
 */
export async function readFaceModelSpec(dir: string): Promise<FaceModelSpec> {
  if (typeof dir !== 'string' || dir === '')
    throw new InvalidArgumentError('readFaceModelSpec', 'dir', dir, 'a directory path');
  const clean = await readableFaceModelDir(dir.replace(/[\\/]+$/, '') || '/');
  const folder = await openModelFolder(clean);
  const json = await folder.readJson(FACE_MODEL_FILE, null);
  return checkFaceModelManifest(`${clean}/${FACE_MODEL_FILE}`, json).spec;
}

/**
 * Fits the head's declared size and weight records to head.bin's size, before the head is built:
 * a head declaring 1e7 classes over a 4 KB head.bin fails here instead of allocating.
 */
function checkHeadSize(file: string, manifest: FaceModelManifest, binBytes: number): void {
  const fail = (entry: string, reason: string): never => {
    throw new ModelFileError(file, entry, 'size', reason);
  };
  const head = manifest.head as Record<string, unknown>;
  const dims = (head.kind === 'margin' ? head.config : head) as Record<string, unknown> | null;
  const d = dims?.embeddingDim;
  const c = dims?.numClasses;
  if (
    !Number.isSafeInteger(d) ||
    !Number.isSafeInteger(c) ||
    (d as number) < 1 ||
    (c as number) < 1
  )
    fail('head', 'must declare integer embeddingDim and numClasses');
  // Every head holds at least a float32 [embeddingDim, numClasses] matrix.
  const least = (d as number) * (c as number) * 4;
  if (least > binBytes)
    fail(
      'head',
      `declares ${c} classes of ${d} dimensions (at least ${least} bytes of weights), but head.bin has ${binBytes} bytes`,
    );
  let total = 0;
  manifest.headWeights.forEach((w, i) => {
    const bytes = elements(w.shape) * 4;
    const ok =
      w.byteLength === bytes &&
      Number.isSafeInteger(w.offset) &&
      w.offset >= 0 &&
      w.offset % 4 === 0 &&
      w.offset + bytes <= binBytes;
    if (!ok)
      fail(`headWeights[${i}]`, `does not fit head.bin (${binBytes} bytes): ${describeValue(w)}`);
    total += bytes;
  });
  if (total !== binBytes)
    fail('headWeights', `declare ${total} bytes, but head.bin has ${binBytes} bytes`);
}

/**
 * Loads a model saved by {@link saveFaceModel}. Layers from other packages (e.g. @face/pretrained's
 * `ChannelAffine`) must be registered first: import those packages before loading. Every file is
 * read from inside `dir` (no symlink leading out), and declared sizes are checked against the
 * files before anything is built: a damaged or hostile folder gets a {@link ModelFileError}.
 */
export async function loadFaceModel(dir: string): Promise<FaceModel> {
  const fn = 'loadFaceModel';
  if (typeof dir !== 'string' || dir === '')
    throw new InvalidArgumentError(fn, 'dir', dir, 'a directory path');
  // A save interrupted between its two renames leaves the complete old model aside: read that one.
  const clean = await readableFaceModelDir(dir.replace(/[\\/]+$/, '') || '/');
  const file = `${clean}/${FACE_MODEL_FILE}`;
  let folder: ModelFolder;
  let json: unknown;
  try {
    folder = await openModelFolder(clean);
    json = await folder.readJson(FACE_MODEL_FILE, null);
  } catch (err) {
    if (!(err instanceof ModelFileError && err.problem === 'missing')) throw err;
    throw new InvalidArgumentError(
      fn,
      'dir',
      dir,
      `a saved face model (cannot read ${FACE_MODEL_FILE}: ${err.reason})`,
    );
  }
  const { spec, ...manifest } = checkFaceModelManifest(file, json);
  await folder.stat('backbone', 'backbone', { directory: true, from: file });
  let bin: Uint8Array | null = null;
  if (manifest.head !== null) {
    const binFile = await folder.stat('head.bin', 'head.bin', { from: file });
    checkHeadSize(file, manifest, binFile.size);
    bin = await folder.read(binFile, 'head.bin', binFile.size);
  }
  const backbone = await loadModel(`${clean}/backbone`);
  let head: ClassifierHead | null = null;
  try {
    if (manifest.head !== null && bin) {
      head = classifierHeadFromJson(manifest.head);
      for (const { name, variable } of head.variables) {
        const w = manifest.headWeights.find((x) => x.name === name);
        if (!w || variable.shape.join(',') !== w.shape.join(','))
          throw new ModelFileError(
            file,
            'headWeights',
            'manifest',
            `has no weight '${name}' of shape [${variable.shape.join(', ')}] for the head it declares`,
          );
        const values = new Float32Array(bin.buffer, w.offset, w.byteLength / 4);
        tf.tidy(() => variable.assign(tf.tensor(values, w.shape)));
      }
      if (manifest.headState !== null) head.setState(manifest.headState);
    }
  } catch (err) {
    head?.dispose();
    backbone.dispose();
    throw err;
  }
  return { backbone, head, manifest, spec, preprocess: preprocessOf(spec.input) };
}
