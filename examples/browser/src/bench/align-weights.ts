// face-api's SSD, tiny and 68-landmark weights served with the page (Vite `?url` assets, fetched
// only when the bench runs), decoded once per network for each side of the comparison.
import type * as tf from '@tensorflow/tfjs-core';
import type { DetectorName } from '@face/align';
import { decodeWeightFiles, fetchWeightFiles, type WeightFiles } from '../align/weights';
import ssdManifest from '@vladmandic/face-api/model/ssd_mobilenetv1_model-weights_manifest.json?url';
import ssdWeights from '@vladmandic/face-api/model/ssd_mobilenetv1_model.bin?url';
import tinyManifest from '@vladmandic/face-api/model/tiny_face_detector_model-weights_manifest.json?url';
import tinyWeights from '@vladmandic/face-api/model/tiny_face_detector_model.bin?url';
import landmarksManifest from '@vladmandic/face-api/model/face_landmark_68_model-weights_manifest.json?url';
import landmarksWeights from '@vladmandic/face-api/model/face_landmark_68_model.bin?url';

export type NetName = DetectorName | 'landmarks';

const URLS: Record<NetName, [manifest: string, weights: string]> = {
  ssd: [ssdManifest, ssdWeights],
  tiny: [tinyManifest, tinyWeights],
  landmarks: [landmarksManifest, landmarksWeights],
};

/** The raw files, fetched once: each side decodes its own copy (detectors own their weights). */
const files = new Map<NetName, Promise<WeightFiles>>();

/** One network's weights as fresh tensors on the current backend (checked on decode). */
export async function readNet(name: NetName): Promise<tf.NamedTensorMap> {
  if (!files.has(name)) files.set(name, fetchWeightFiles(...URLS[name]));
  return decodeWeightFiles(await files.get(name)!);
}
