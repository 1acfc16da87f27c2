import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@face/core';

/** A weights manifest and the bytes of its shards, one ArrayBuffer per path of each group, in order. */
export interface WeightsArtifacts {
  manifest: tf.io.WeightsManifestConfig;
  /** Either every shard in manifest order (groups, then paths), or one buffer with all of them. */
  weightData: ArrayBuffer | ArrayBuffer[];
}

const BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * Bytes one entry takes in its shard. Quantized entries store `quantization.dtype` values; per the
 * tfjs weights-manifest format (tfjs-core `io/types.ts`, `WeightsManifestEntry.quantization`) a
 * uint8/uint16 value q stands for `q * scale + min`, and float16 values are half floats.
 */
function entryBytes(fn: string, entry: tf.io.WeightsManifestEntry, where: string): number {
  const bad = (what: string, expected: string) =>
    new InvalidArgumentError(
      fn,
      `${where}.${what}`,
      (entry as unknown as Record<string, unknown>)[what],
      expected,
    );
  if (typeof entry.name !== 'string' || entry.name === '') throw bad('name', 'a non-empty string');
  if (!Array.isArray(entry.shape) || !entry.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw bad('shape', 'an array of integers >= 0');
  }
  if (!['float32', 'int32', 'bool'].includes(entry.dtype)) {
    throw bad('dtype', "one of 'float32', 'int32', 'bool'");
  }
  const size = entry.shape.reduce((a, b) => a * b, 1);
  const q = entry.quantization;
  if (q === undefined) return size * BYTES[entry.dtype];
  if (q.dtype === 'uint8' || q.dtype === 'uint16') {
    if (!Number.isFinite(q.scale) || !Number.isFinite(q.min)) {
      throw bad('quantization', `finite scale and min for ${q.dtype} quantization`);
    }
  } else if (q.dtype !== 'float16' || entry.dtype !== 'float32') {
    throw bad(
      'quantization',
      "dtype 'uint8' or 'uint16' (with scale and min), or 'float16' on a float32 weight",
    );
  }
  return size * BYTES[q.dtype];
}

/**
 * Checks a weights manifest against its shard bytes and decodes it into tensors, de-quantizing
 * quantized entries (tfjs's own `tf.io.decodeWeights` does the arithmetic; the checks here turn
 * a malformed or truncated download into an error that says what is wrong).
 * The caller owns the returned tensors.
 */
export function decodeWeightsArtifacts(artifacts: WeightsArtifacts): tf.NamedTensorMap {
  return decodeWeightsFor('decodeWeightsArtifacts', artifacts);
}

/** {@link decodeWeightsArtifacts} with errors naming the public function `fn`. */
export function decodeWeightsFor(fn: string, artifacts: WeightsArtifacts): tf.NamedTensorMap {
  const { manifest, weightData } = artifacts;
  if (!Array.isArray(manifest) || manifest.length === 0) {
    throw new InvalidArgumentError(fn, 'manifest', manifest, 'a non-empty array of weight groups');
  }
  const groups = manifest.map((group, g) => {
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      throw new InvalidArgumentError(
        fn,
        `manifest[${g}]`,
        group,
        'a group with `paths` and `weights` arrays',
      );
    }
    const bytes = group.weights.reduce(
      (sum, entry, i) => sum + entryBytes(fn, entry, `manifest[${g}].weights[${i}]`),
      0,
    );
    return { group, bytes };
  });
  const total = groups.reduce((s, { bytes }) => s + bytes, 0);
  const all = tf.io.concatenateArrayBuffers(weightData);
  if (all.byteLength !== total) {
    throw new InvalidArgumentError(
      fn,
      'weightData',
      `${all.byteLength} bytes`,
      `${total} bytes, as the manifest's entries add up to`,
    );
  }
  const out: tf.NamedTensorMap = {};
  let offset = 0;
  for (const { group, bytes } of groups) {
    Object.assign(out, tf.io.decodeWeights(all.slice(offset, offset + bytes), group.weights));
    offset += bytes;
  }
  return out;
}
