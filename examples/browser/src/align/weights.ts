// A face-api network's files as the page serves them (Vite `?url` assets): the manifest (size-capped
// JSON) and its single shard, fetched raw, then decoded into tensors (checked against the manifest).
import type * as tf from '@tensorflow/tfjs-core';
import { fetchModelJson } from '@face/core';
import { decodeWeightsArtifacts } from '@face/pretrained';

export interface WeightFiles {
  manifest: unknown;
  weightData: ArrayBuffer;
}

/** Fetches a network's manifest and shard. */
export async function fetchWeightFiles(
  manifestUrl: string,
  weightsUrl: string,
): Promise<WeightFiles> {
  const manifest = await fetchModelJson(new URL(manifestUrl, location.href));
  const response = await fetch(weightsUrl);
  if (!response.ok) throw new Error(`${weightsUrl}: HTTP ${response.status}`);
  return { manifest, weightData: await response.arrayBuffer() };
}

/** The network's weights as fresh tensors on the current backend. */
export function decodeWeightFiles({ manifest, weightData }: WeightFiles): tf.NamedTensorMap {
  return decodeWeightsArtifacts({
    manifest: manifest as tf.io.WeightsManifestConfig,
    weightData,
  });
}
