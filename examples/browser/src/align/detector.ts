// face-api's tiny detector and 68-point landmark net on the page's TF.js, weights served with the
// page: Vite copies the four files out of the installed @vladmandic/face-api (`?url` imports emit
// them as assets; nothing is fetched until a picture is aligned).
import { FaceDetector, type FaceApiModule } from '@face/align';
import tinyManifest from '@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json?url';
import tinyWeights from '@vladmandic/face-api/model/tiny_face_detector_model.bin?url';
import landmarksManifest from '@vladmandic/face-api/model/face_landmark_68_model-weights_manifest.json?url';
import landmarksWeights from '@vladmandic/face-api/model/face_landmark_68_model.bin?url';
import { decodeWeightFiles, fetchWeightFiles } from './weights';

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
    fetchWeightFiles(tinyManifest, tinyWeights).then(decodeWeightFiles),
    fetchWeightFiles(landmarksManifest, landmarksWeights).then(decodeWeightFiles),
  ]);
  return FaceDetector.create(
    faceapi,
    { detector, landmarks },
    { detector: 'tiny', minConfidence, inputSize },
  );
}
