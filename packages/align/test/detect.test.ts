import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { SyntheticFaces } from '@face/data';
import { decodeWeightsArtifacts, readWeightsArtifacts } from '@face/pretrained';
import { expectClose, setTestBackend } from '@face/test-support';
import { FACE_API_MANIFESTS, FaceDetector, fivePoints, type DetectorName } from '@face/align';
import { faceApiModels, loadFaceApi } from './face-api';

const faceapi = loadFaceApi();
const read = async (manifest: string) =>
  decodeWeightsArtifacts(await readWeightsArtifacts(faceApiModels, manifest));

/** Drawn faces from @face/data, upscaled into larger pictures at different places. */
async function pictures(): Promise<tf.Tensor3D[]> {
  const faces = new SyntheticFaces({
    identities: 3,
    imagesPerIdentity: 1,
    size: 112,
    seed: 3,
    difficulty: 0.2,
  });
  const out: tf.Tensor3D[] = [];
  for (let i = 0; i < faces.size; i++) {
    const { data, height, width } = await faces.load(i);
    out.push(
      tf.tidy(() => {
        const face = tf.image.resizeBilinear(tf.tensor3d(data, [height, width, 3], 'float32'), [
          160 + 40 * i,
          160 + 40 * i,
        ]);
        return tf.pad(
          face,
          [
            [20 * i, 30],
            [40, 10 * i],
            [0, 0],
          ],
          128,
        ) as tf.Tensor3D;
      }),
    );
  }
  return out;
}

describe.each<DetectorName>(['ssd', 'tiny'])('FaceDetector (%s) parity with face-api', (name) => {
  let detector: FaceDetector;
  let images: tf.Tensor3D[];
  const minConfidence = 0.1;
  beforeAll(async () => {
    // SSD runs on 512 x 512 inputs: seconds per image on wasm, minutes on cpu.
    await setTestBackend('wasm');
    detector = FaceDetector.create(
      faceapi,
      {
        detector: await read(FACE_API_MANIFESTS[name]),
        landmarks: await read(FACE_API_MANIFESTS.landmarks),
      },
      { detector: name, minConfidence, inputSize: 224 },
    );
    await (
      name === 'ssd' ? faceapi.nets.ssdMobilenetv1 : faceapi.nets.tinyFaceDetector
    ).loadFromDisk(faceApiModels);
    await faceapi.nets.faceLandmark68Net.loadFromDisk(faceApiModels);
    images = await pictures();
  });
  afterAll(async () => {
    detector.dispose();
    tf.dispose(images);
    await setTestBackend();
  });

  it("finds the boxes, scores and 68 points face-api's detectAllFaces().withFaceLandmarks() finds", async () => {
    let found = 0;
    for (const image of images) {
      const before = tf.memory().numTensors;
      const ours = await detector.detect(image);
      expect(tf.memory().numTensors).toBe(before);
      const options =
        name === 'ssd'
          ? new faceapi.SsdMobilenetv1Options({ minConfidence })
          : new faceapi.TinyFaceDetectorOptions({ scoreThreshold: minConfidence, inputSize: 224 });
      const theirs = await faceapi.detectAllFaces(image, options).withFaceLandmarks();
      expect(ours.length).toBe(theirs.length);
      found += ours.length;
      ours.forEach((face, i) => {
        const { detection, landmarks } = theirs[i];
        expectClose(face.score, detection.score, { atol: 1e-6 });
        const b = detection.box;
        expectClose(
          [face.box.x, face.box.y, face.box.width, face.box.height],
          [b.x, b.y, b.width, b.height],
          { atol: 1e-4 },
        );
        const pts = landmarks.positions.map((p) => [p.x, p.y]);
        expectClose(face.landmarks68, pts, { atol: 1e-4 });
        expectClose(face.landmarks, fivePoints(pts as [number, number][]), { atol: 1e-9 });
      });
    }
    console.info(
      `${name}: ${found} faces in ${images.length} drawn pictures at confidence ${minConfidence}`,
    );
    expect(found).toBeGreaterThan(0);
  });
});
