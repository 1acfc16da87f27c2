import * as tf from '@tensorflow/tfjs-core';
import { checkModelPath, parseModelJson, type ModelFileError, type RngState } from '@face/core';
import { CheckpointCorruptError } from '../errors';
import type { JsonValue } from '../json';
import type { Checkpoint, TrainerPosition } from './checkpoint';
import { crc32 } from './crc32';
import type { Fingerprint } from './fingerprint';

export const CHECKPOINT_FORMAT = 'face-checkpoint';
export const CHECKPOINT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Where one tensor lies in `weights.bin`. */
export interface TensorRecord {
  /** `variable`, `state`, or an optimizer `slot` of variable `name`. */
  role: 'variable' | 'state' | 'slot';
  name: string;
  slot?: string;
  shape: number[];
  dtype: 'float32' | 'int32' | 'bool';
  offset: number;
  byteLength: number;
}

/** `manifest.json`: everything but the tensor bytes, which `weights.bin` holds (little-endian). */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  createdAt: string;
  fingerprint: Fingerprint;
  position: TrainerPosition;
  weights: { file: string; byteLength: number; crc32: number };
  tensors: TensorRecord[];
  optimizer: { kind: string; steps: Record<string, number> } | null;
  rng: RngState | null;
  data: JsonValue;
  callbacks: Record<string, JsonValue>;
  trainer: JsonValue;
  extra: JsonValue;
  metrics: Record<string, number>;
}

const BYTES: Record<TensorRecord['dtype'], number> = { float32: 4, int32: 4, bool: 1 };

/** Serializes a checkpoint: the manifest and the concatenated tensor bytes (4-byte aligned). */
export async function encodeCheckpoint(
  ckpt: Checkpoint,
): Promise<{ manifest: CheckpointManifest; weights: Uint8Array }> {
  const items: { record: Omit<TensorRecord, 'offset' | 'byteLength'>; tensor: tf.Tensor }[] = [];
  for (const [name, t] of Object.entries(ckpt.variables))
    items.push({
      record: { role: 'variable', name, shape: t.shape, dtype: dtypeOf(t) },
      tensor: t,
    });
  for (const [name, t] of Object.entries(ckpt.state))
    items.push({ record: { role: 'state', name, shape: t.shape, dtype: dtypeOf(t) }, tensor: t });
  for (const [name, perVar] of Object.entries(ckpt.optimizer?.slots ?? {})) {
    for (const [slot, t] of Object.entries(perVar))
      items.push({
        record: { role: 'slot', name, slot, shape: t.shape, dtype: dtypeOf(t) },
        tensor: t,
      });
  }
  const datas = await Promise.all(items.map(({ tensor }) => tensor.data()));
  const records: TensorRecord[] = [];
  let offset = 0;
  const chunks = datas.map((d, i) => {
    const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    offset = Math.ceil(offset / 4) * 4;
    records.push({ ...items[i].record, offset, byteLength: bytes.byteLength });
    offset += bytes.byteLength;
    return bytes;
  });
  const weights = new Uint8Array(Math.ceil(offset / 4) * 4);
  chunks.forEach((bytes, i) => weights.set(bytes, records[i].offset));
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    createdAt: new Date().toISOString(),
    fingerprint: ckpt.fingerprint,
    position: ckpt.position,
    weights: { file: WEIGHTS_FILE, byteLength: weights.byteLength, crc32: crc32(weights) },
    tensors: records,
    optimizer: ckpt.optimizer ? { kind: ckpt.optimizer.kind, steps: ckpt.optimizer.steps } : null,
    rng: ckpt.rng,
    data: ckpt.data ?? null,
    callbacks: ckpt.callbacks,
    trainer: ckpt.trainer ?? null,
    extra: ckpt.extra ?? null,
    metrics: ckpt.metrics,
  };
  return { manifest, weights };
}

function dtypeOf(t: tf.Tensor): TensorRecord['dtype'] {
  if (t.dtype === 'float32' || t.dtype === 'int32' || t.dtype === 'bool') return t.dtype;
  throw new TypeError(`checkpoints store float32, int32 and bool tensors, not ${t.dtype}`);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isSize = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Parses and checks `manifest.json`'s text: an object (depth-checked before parsing) of this
 * format and version, whose `weights.file` is a plain name inside the checkpoint folder and whose
 * sizes and tensor records are well-formed (fitting them to the bytes is {@link decodeCheckpoint}'s).
 */
export function parseManifest(path: string, text: string): CheckpointManifest {
  let m: CheckpointManifest;
  try {
    m = parseModelJson(`${path}/${MANIFEST_FILE}`, text) as CheckpointManifest;
  } catch (err) {
    throw new CheckpointCorruptError(path, `${MANIFEST_FILE} ${(err as ModelFileError).reason}`);
  }
  if (!isObject(m) || m.format !== CHECKPOINT_FORMAT)
    throw new CheckpointCorruptError(
      path,
      `${MANIFEST_FILE} is not a ${CHECKPOINT_FORMAT} manifest`,
    );
  if (m.version !== CHECKPOINT_VERSION) {
    throw new CheckpointCorruptError(
      path,
      `format version ${m.version} is not supported (this reader: ${CHECKPOINT_VERSION})`,
    );
  }
  const bad = (field: string, expected: string) =>
    new CheckpointCorruptError(path, `${MANIFEST_FILE}'s ${field} must be ${expected}`);
  const w = m.weights as unknown;
  if (!isObject(w) || !isSize(w.byteLength) || !Number.isInteger(w.crc32))
    throw bad('weights', '{ file, byteLength, crc32 } with integer sizes');
  try {
    checkModelPath(`${path}/${MANIFEST_FILE}`, 'weights.file', w.file, { plain: true });
  } catch (err) {
    const e = err as ModelFileError;
    const corrupt = new CheckpointCorruptError(path, `${MANIFEST_FILE}'s ${e.entry} ${e.reason}`);
    corrupt.cause = e;
    throw corrupt;
  }
  if (!Array.isArray(m.tensors)) throw bad('tensors', 'an array of tensor records');
  m.tensors.forEach((r: unknown, i) => {
    const ok =
      isObject(r) &&
      ['variable', 'state', 'slot'].includes(r.role as string) &&
      typeof r.name === 'string' &&
      (r.slot === undefined || typeof r.slot === 'string') &&
      typeof r.dtype === 'string' &&
      Object.hasOwn(BYTES, r.dtype) &&
      Array.isArray(r.shape) &&
      r.shape.length <= 8 &&
      r.shape.every(isSize) &&
      isSize(r.offset) &&
      isSize(r.byteLength);
    if (!ok) throw bad(`tensors[${i}]`, '{ role, name, shape, dtype, offset, byteLength }');
  });
  if (!isObject(m.position)) throw bad('position', 'an object');
  if (m.optimizer !== null && !(isObject(m.optimizer) && isObject(m.optimizer.steps)))
    throw bad('optimizer', 'null or { kind, steps }');
  return m;
}

/** Rebuilds a checkpoint's tensors from the manifest and the weight bytes, checking size and CRC. */
export function decodeCheckpoint(
  path: string,
  m: CheckpointManifest,
  weights: Uint8Array,
): Checkpoint {
  if (weights.byteLength !== m.weights.byteLength) {
    throw new CheckpointCorruptError(
      path,
      `${m.weights.file} has ${weights.byteLength} bytes, the manifest says ${m.weights.byteLength}`,
    );
  }
  if (crc32(weights) !== m.weights.crc32)
    throw new CheckpointCorruptError(path, `${m.weights.file} fails its CRC-32 check`);
  // A fresh, aligned copy: typed-array views need 4-byte-aligned offsets.
  const buffer = weights.slice().buffer;
  const ckpt: Checkpoint = {
    fingerprint: m.fingerprint,
    position: m.position,
    variables: {},
    state: {},
    optimizer: m.optimizer ? { kind: m.optimizer.kind, steps: m.optimizer.steps, slots: {} } : null,
    rng: m.rng,
    data: m.data,
    callbacks: m.callbacks ?? {},
    trainer: m.trainer,
    extra: m.extra,
    metrics: m.metrics ?? {},
  };
  for (const r of m.tensors) {
    // Sizes are checked against the bytes at hand before any tensor is built (a record may not
    // declare more than the file holds, nor sit unaligned for its typed array).
    const size = r.shape.reduce((a, b) => a * b, 1);
    if (
      r.byteLength !== size * BYTES[r.dtype] ||
      r.offset % BYTES[r.dtype] !== 0 ||
      r.offset + r.byteLength > buffer.byteLength
    ) {
      throw new CheckpointCorruptError(
        path,
        `tensor record ${JSON.stringify(r)} does not fit ${m.weights.file}`,
      );
    }
    const values =
      r.dtype === 'float32'
        ? new Float32Array(buffer, r.offset, size)
        : r.dtype === 'int32'
          ? new Int32Array(buffer, r.offset, size)
          : new Uint8Array(buffer, r.offset, size);
    const t = tf.tensor(values, r.shape, r.dtype);
    if (r.role === 'variable') ckpt.variables[r.name] = t;
    else if (r.role === 'state') ckpt.state[r.name] = t;
    else if (ckpt.optimizer) (ckpt.optimizer.slots[r.name] ??= {})[r.slot ?? ''] = t;
    else t.dispose();
  }
  return ckpt;
}
