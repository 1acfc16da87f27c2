import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, checkNumber, checkOneOf } from '@face/core';
import type { FaceApiDetectorNet, FaceApiLandmarkNet, FaceApiModule } from './face-api';
import type { Point } from './similarity';

export const DETECTORS = ['ssd', 'tiny'] as const;
export type DetectorName = (typeof DETECTORS)[number];

/** A face found in an image: pixel box, detector score, face-api's 68 points and our five. */
export interface DetectedFace {
  box: { x: number; y: number; width: number; height: number };
  score: number;
  /** [eye on the image's left, eye on the image's right, nose tip, mouth left, mouth right]. */
  landmarks: Point[];
  landmarks68: Point[];
}

export interface FaceDetectorOptions {
  /** 'ssd' (SSD MobileNet v1, default: more faces found) or 'tiny' (Tiny Face Detector, faster). */
  detector?: DetectorName;
  /** Score under which a detection is dropped; default 0.5 (face-api's default for both). */
  minConfidence?: number;
  /** tiny: input side, a multiple of 32; default 416 (face-api's). */
  inputSize?: number;
}

export interface FaceDetectorWeights {
  /** Decoded weights of the detector named by `options.detector`. */
  detector: tf.NamedTensorMap;
  /** Decoded weights of face-api's 68-point landmark net. */
  landmarks: tf.NamedTensorMap;
}

const mean = (ps: Point[]): Point => [
  ps.reduce((s, p) => s + p[0], 0) / ps.length,
  ps.reduce((s, p) => s + p[1], 0) / ps.length,
];

/**
 * The five alignment points from the 68 of the iBUG 300-W markup (face-api's and dlib's): the
 * centres of the eyes (means of points 36-41 and 42-47), the nose tip (30), the mouth corners
 * (48, 54). Points 36-41 are the subject's right eye, on the image's left.
 */
export function fivePoints(landmarks68: readonly Point[]): Point[] {
  if (!Array.isArray(landmarks68) || landmarks68.length !== 68)
    throw new InvalidArgumentError('fivePoints', 'landmarks68', landmarks68, '68 [x, y] points');
  return [
    mean(landmarks68.slice(36, 42)),
    mean(landmarks68.slice(42, 48)),
    landmarks68[30],
    landmarks68[48],
    landmarks68[54],
  ];
}

/**
 * face-api's detector and 68-point landmark net on the caller's TF.js: `detect` finds faces,
 * then landmarks each as face-api's `detectAllFaces(...).withFaceLandmarks()` does (the box's
 * pixels cut out, landmarked, the points shifted back by the box corner), so results equal
 * face-api's own. Weights come decoded (read them with @face/pretrained's hostile-safe
 * `readWeightsArtifacts` + `decodeWeightsArtifacts`); the detector owns them after `create`.
 */
export class FaceDetector {
  private constructor(
    private readonly faceapi: FaceApiModule,
    private readonly detectorNet: FaceApiDetectorNet,
    private readonly landmarkNet: FaceApiLandmarkNet,
    private readonly options: unknown,
    readonly name: DetectorName,
  ) {}

  static create(
    faceapi: FaceApiModule,
    weights: FaceDetectorWeights,
    options: FaceDetectorOptions = {},
  ): FaceDetector {
    const fn = 'FaceDetector.create';
    if (!faceapi || typeof faceapi.FaceLandmark68Net !== 'function')
      throw new InvalidArgumentError(fn, 'faceapi', faceapi, 'the @vladmandic/face-api module');
    // Tensors made by one tfjs-core cannot be read by another: face-api must share ours.
    if (faceapi.tf?.Tensor !== tf.Tensor)
      throw new InvalidArgumentError(
        fn,
        'faceapi',
        'a face-api bundling its own TF.js',
        "a face-api build on this program's @tensorflow/tfjs-core (Node: dist/face-api.node-wasm.js with @tensorflow/tfjs installed; browser: dist/face-api.esm-nobundle.js)",
      );
    const { detector = 'ssd', minConfidence = 0.5, inputSize = 416 } = options;
    checkOneOf(fn, 'options.detector', detector, DETECTORS);
    checkNumber(fn, 'options.minConfidence', minConfidence, { min: 0, max: 1 });
    if (!Number.isInteger(inputSize) || inputSize < 32 || inputSize % 32 !== 0)
      throw new InvalidArgumentError(fn, 'options.inputSize', inputSize, 'a multiple of 32');
    const net = detector === 'ssd' ? new faceapi.SsdMobilenetv1() : new faceapi.TinyFaceDetector();
    const landmarks = new faceapi.FaceLandmark68Net();
    try {
      net.loadFromWeightMap(weights.detector);
      landmarks.loadFromWeightMap(weights.landmarks);
    } catch (err) {
      throw new InvalidArgumentError(
        fn,
        'weights',
        (err as Error).message,
        `face-api's ${detector === 'ssd' ? 'ssd_mobilenetv1' : 'tiny_face_detector'} and face_landmark_68 weights`,
      );
    }
    const netOptions =
      detector === 'ssd'
        ? new faceapi.SsdMobilenetv1Options({ minConfidence })
        : new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: minConfidence });
    return new FaceDetector(faceapi, net, landmarks, netOptions, detector);
  }

  /** Faces in one RGB image `[H, W, 3]` (0..255), by decreasing score. Disposes nothing of yours. */
  async detect(image: tf.Tensor3D): Promise<DetectedFace[]> {
    if (!(image instanceof tf.Tensor) || image.rank !== 3 || image.shape[2] !== 3)
      throw new InvalidArgumentError('FaceDetector.detect', 'image', image, 'a Tensor3D [H, W, 3]');
    const detections = await this.detectorNet.locateFaces(image, this.options);
    const faces: DetectedFace[] = [];
    for (const d of detections) {
      // One box at a time: face-api's extractFaceTensors drops empty boxes, shifting the rest.
      const [crop] = await this.faceapi.extractFaceTensors(image, [d]);
      if (!crop) continue;
      try {
        const raw = await this.landmarkNet.detectLandmarks(crop);
        const shifted = (Array.isArray(raw) ? raw[0] : raw).shiftBy(d.box.x, d.box.y);
        const landmarks68 = shifted.positions.map((p) => [p.x, p.y] as Point);
        const { x, y, width, height } = d.box;
        faces.push({
          box: { x, y, width, height },
          score: d.score,
          landmarks68,
          landmarks: fivePoints(landmarks68),
        });
      } finally {
        crop.dispose();
      }
    }
    return faces;
  }

  dispose(): void {
    this.detectorNet.dispose();
    this.landmarkNet.dispose();
  }
}
