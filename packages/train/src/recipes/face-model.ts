import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { FaceError, InvalidArgumentError } from '@face/core';
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

/**
 * Loads a model saved by {@link saveFaceModel}. Layers from other packages (e.g. @face/pretrained's
 * `ChannelAffine`) must be registered first: import those packages before loading.
 */
export async function loadFaceModel(dir: string): Promise<FaceModel> {
  const fn = 'loadFaceModel';
  if (typeof dir !== 'string' || dir === '')
    throw new InvalidArgumentError(fn, 'dir', dir, 'a directory path');
  const f = await fs();
  const clean = dir.replace(/[\\/]+$/, '');
  let manifest: FaceModelManifest;
  try {
    manifest = JSON.parse(
      await f.readFile(`${clean}/${FACE_MODEL_FILE}`, 'utf8'),
    ) as FaceModelManifest;
  } catch (err) {
    throw new InvalidArgumentError(
      fn,
      'dir',
      dir,
      `a saved face model (cannot read ${FACE_MODEL_FILE}: ${(err as Error).message})`,
    );
  }
  if (manifest?.format !== 'face-model' || manifest.version !== 1)
    throw new InvalidArgumentError(
      fn,
      'dir',
      dir,
      `a ${FACE_MODEL_FILE} of format 'face-model', version 1`,
    );
  const backbone = await loadModel(`${clean}/backbone`);
  let head: ClassifierHead | null = null;
  if (manifest.head !== null) {
    head = classifierHeadFromJson(manifest.head);
    const bin = new Uint8Array(await f.readFile(`${clean}/head.bin`));
    for (const w of manifest.headWeights) {
      const target = head.variables.find((v) => v.name === w.name);
      if (
        !target ||
        target.variable.shape.join(',') !== w.shape.join(',') ||
        w.offset + w.byteLength > bin.byteLength
      )
        throw new FaceError(
          `${fn}: ${clean}/head.bin does not match ${FACE_MODEL_FILE} (weight '${w.name}')`,
        );
      const values = new Float32Array(bin.slice(w.offset, w.offset + w.byteLength).buffer);
      tf.tidy(() => target.variable.assign(tf.tensor(values, w.shape)));
    }
    if (manifest.headState !== null) head.setState(manifest.headState);
  }
  return { backbone, head, manifest };
}
