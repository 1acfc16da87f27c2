// face-api's tiny detector and 68-point landmark net on the page's TF.js, weights served with the
// page: Vite copies the four files out of the installed @vladmandic/face-api (`?url` imports emit
// them as assets; nothing is fetched until a picture is aligned).
import type * as tf from '@tensorflow/tfjs-core';
import { fetchModelJson } from '@face/core';
import { FaceDetector, type FaceApiModule } from '@face/align';
import { decodeWeightsArtifacts } from '@face/pretrained';
import tinyManifest from '@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json?url';
import tinyWeights from '@vladmandic/face-api/model/tiny_face_detector_model.bin?url';
import landmarksManifest from '@vladmandic/face-api/model/face_landmark_68_model-weights_manifest.json?url';
import landmarksWeights from '@vladmandic/face-api/model/face_landmark_68_model.bin?url';

/** One network's weights: its manifest (size-capped JSON) and its single shard, checked on decode. */
async function readWeights(manifestUrl: string, weightsUrl: string): Promise<tf.NamedTensorMap> {
  const manifest = await fetchModelJson(new URL(manifestUrl, location.href));
  const response = await fetch(weightsUrl);
  if (!response.ok) throw new Error(`${weightsUrl}: HTTP ${response.status}`);
  return decodeWeightsArtifacts({
    manifest: manifest as tf.io.WeightsManifestConfig,
    weightData: await response.arrayBuffer(),
  });
}

/**
 * The detector, built once. face-api's `esm-nobundle` build imports @tensorflow/tfjs instead of
 * bundling its own copy, so its tensors are the page's (`FaceDetector.create` checks).
 */
export async function loadDetector(
  minConfidence: number,
  inputSize: number,
): Promise<FaceDetector> {
  const faceapi =
    (await import('@vladmandic/face-api/dist/face-api.esm-nobundle.js')) as unknown as FaceApiModule;
  const [detector, landmarks] = await Promise.all([
    readWeights(tinyManifest, tinyWeights),
    readWeights(landmarksManifest, landmarksWeights),
  ]);
  return FaceDetector.create(
    faceapi,
    { detector, landmarks },
    { detector: 'tiny', minConfidence, inputSize },
  );
}
