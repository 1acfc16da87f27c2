import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import {
  InvalidArgumentError,
  ModelFileError,
  describeValue,
  openModelFolder,
  requireObject,
  type ModelFolder,
} from '@face/core';
import { loadModel, saveModel } from '@face/layers';
import type { JsonValue } from '../json';
import { classifierHeadFromJson, type ClassifierHead } from './heads';

/** `face-model.json`: what a saved face model is, beside `backbone/` and `head.bin`. */
export interface FaceModelManifest {
  format: 'face-model';
  version: 1;
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
}

export const FACE_MODEL_FILE = 'face-model.json';

/** A model for embedding and classifying faces: the backbone and, optionally, its trained head. */
export interface FaceModel {
  backbone: LayersModel;
  head: ClassifierHead | null;
  manifest: FaceModelManifest;
}

const fs = () => import('node:fs/promises');

/**
 * Saves a trained model to `dir` (Node): `backbone/` (tfjs-layers `model.json` + `weights.bin`,
 * loadable by `tf.loadLayersModel` too), `head.bin` (float32 head weights) and `face-model.json`.
 * Written into a temporary sibling directory, then renamed into place: a reader never sees half a
 * model.
 */
export async function saveFaceModel(
  dir: string,
  {
    backbone,
    head = null,
    classNames,
    meta = {},
  }: {
    backbone: LayersModel;
    head?: ClassifierHead | null;
    classNames?: readonly string[];
    meta?: Record<string, JsonValue>;
  },
): Promise<void> {
  const fn = 'saveFaceModel';
  if (typeof dir !== 'string' || dir === '')
    throw new InvalidArgumentError(fn, 'dir', dir, 'a directory path');
  if (!backbone || typeof backbone.save !== 'function')
    throw new InvalidArgumentError(fn, 'backbone', backbone, 'a tfjs-layers model');
  const outShape = backbone.outputs[0].shape;
  const inShape = backbone.inputs[0].shape;
  const f = await fs();
  const clean = dir.replace(/[\\/]+$/, '');
  const temp = `${clean}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  await f.mkdir(temp, { recursive: true });
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
    await f.writeFile(`${temp}/head.bin`, bin);
    const manifest: FaceModelManifest = {
      format: 'face-model',
      version: 1,
      imageSize: typeof inShape[1] === 'number' ? inShape[1] : null,
      embeddingDim: outShape[outShape.length - 1] as number,
      classNames: head ? [...(classNames ?? [])] : null,
      head: head?.toJson() ?? null,
      headWeights: weights,
      headState: head?.getState() ?? null,
      meta,
    };
    await f.writeFile(`${temp}/${FACE_MODEL_FILE}`, `${JSON.stringify(manifest, null, 2)}\n`);
    // Replace an older model: move it aside, move the new one in, then delete the old one.
    const aside = `${clean}.old-${process.pid}`;
    let moved = false;
    try {
      await f.rename(clean, aside);
      moved = true;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
    }
    await f.rename(temp, clean);
    if (moved) await f.rm(aside, { recursive: true, force: true });
  } catch (err) {
    await f.rm(temp, { recursive: true, force: true });
    throw err;
  }
}

/** Product of a shape's dimensions, or NaN when one is not an integer >= 0. */
const elements = (shape: unknown): number =>
  Array.isArray(shape) && shape.length <= 8 && shape.every((d) => Number.isSafeInteger(d) && d >= 0)
    ? (shape as number[]).reduce((a, b) => a * b, 1)
    : NaN;

/** Checks `face-model.json`'s fields (a hostile or damaged file gets a ModelFileError). */
function checkFaceModelManifest(file: string, json: unknown): FaceModelManifest {
  const m = requireObject(file, null, json);
  const bad = (entry: string, expected: string): never => {
    throw new ModelFileError(file, entry, 'manifest', `must be ${expected}`);
  };
  if (m.format !== 'face-model' || m.version !== 1)
    bad('format', "'face-model' with version 1 (not a face model folder?)");
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
  return m as unknown as FaceModelManifest;
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
  const clean = dir.replace(/[\\/]+$/, '') || '/';
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
  const manifest = checkFaceModelManifest(file, json);
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
  return { backbone, head, manifest };
}
